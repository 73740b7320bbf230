/**
 * The note `faultline check` gives about nil reads when it chose their
 * meaning itself (no --nil-reads-any-value / --no-nil-reads-any-value): in a
 * Jepsen history an ok read of nil may mean "matches any value" (Knossos) or
 * "read an empty register", and the verdict can depend on which. faultline's
 * own JSONL records a real null, so its histories get no note.
 */
import type { History, Json } from '../history/op.js';
import type { LoadedHistory } from '../history/read.js';

/**
 * The ok reads of null the nil-read semantics applies to: reads (`read`, the
 * register models) and the micro-reads of transactions (`txn`, multi-register).
 */
export function countNilReads(history: History): number {
  let count = 0;
  for (const op of history) {
    if (op.type !== 'ok' || op.process === 'nemesis') continue;
    if (op.f === 'read' && (op.value ?? null) === null) count += 1;
    else if (op.f === 'txn' && Array.isArray(op.value)) count += op.value.filter(isNilMicroRead).length;
  }
  return count;
}

function isNilMicroRead(micro: Json): boolean {
  return Array.isArray(micro) && micro[0] === 'read' && (micro[2] ?? null) === null;
}

/**
 * The note for a history read as `format` whose nil reads were given the
 * meaning `anyValue` by default; undefined for a JSONL history or one with
 * no nil read.
 */
export function nilReadNote(history: History, format: LoadedHistory['format'], anyValue: boolean): string | undefined {
  if (format === 'jsonl') return undefined;
  const count = countNilReads(history);
  if (count === 0) return undefined;
  const reads = count === 1 ? '1 ok read of nil' : `${count} ok reads of nil`;
  return anyValue
    ? `${reads} matched any value (Knossos's meaning, the default for ${format} histories); ` +
        'pass --no-nil-reads-any-value to check them as reads of an empty register'
    : `${reads} were checked as reads of an empty register (the default for ${format} histories); ` +
        "pass --nil-reads-any-value to let them match any value (Knossos's meaning)";
}
