/**
 * Pairing: turns a history (a flat list of invocations and completions) into
 * operations, each with its invocation and completion together. This is what
 * the checkers reason about.
 *
 * - Nemesis ops (process "nemesis") are skipped.
 * - `fail` ops are dropped: they certainly did not happen.
 * - An `ok` op takes its value from the completion (a read's invocation carries
 *   null; its completion carries the value read). When the completion's value
 *   is null or absent and the invocation's is not (a client that completes a
 *   write 3 with null), the invocation's value is kept.
 * - An op completed by `info`, or never completed, is open: it may or may not
 *   have happened, at any point after its invocation. It keeps its
 *   invocation's value and has no completion index.
 *
 * Real-time order is the order of the history (the array position), not the
 * `time` field: Jepsen histories do not always have monotonic times.
 */
import { MalformedHistoryError } from '../errors.js';
import { type History, type Json, OP_TYPES, type Op, type ProcessId } from './op.js';

export interface PairedOp {
  /** Position in the paired list (ordered by invocation). */
  id: number;
  process: ProcessId;
  f: string;
  /** For ok ops the completion's value, unless that is null/absent and the invocation's is not; else the invocation's. */
  value: Json | undefined;
  key: Json | undefined;
  /** ok: it happened; info: it may or may not have happened (no completion, or completed by info). */
  outcome: 'ok' | 'info';
  /** History position of the invocation. */
  invokeIndex: number;
  /** History position of the ok completion; undefined when the op is open (info or never completed). */
  completeIndex: number | undefined;
  invokeTime: number;
  /** Time of the ok completion; undefined when open. */
  completeTime: number | undefined;
}

/**
 * Pairs invocations with completions.
 *
 * Returns the ok and open client ops in invocation order (fail ops dropped).
 * Throws MalformedHistoryError (with the history position) for: an unknown
 * type, a completion with no pending invocation on its process, a process that
 * invokes while it has an op pending, or a completion whose f differs from its
 * invocation's.
 */
export function pairHistory(history: History): PairedOp[] {
  const paired: (PairedOp | undefined)[] = [];
  // process -> slot in `paired` of its pending invocation
  const pending = new Map<ProcessId, number>();
  for (let index = 0; index < history.length; index++) {
    const op: Op = history[index]!;
    if (!OP_TYPES.includes(op.type)) {
      throw new MalformedHistoryError(`unknown op type ${JSON.stringify(op.type)}`, index);
    }
    if (op.process === 'nemesis') continue;
    const slot = pending.get(op.process);
    if (op.type === 'invoke') {
      if (slot !== undefined) {
        const prior = paired[slot]!;
        throw new MalformedHistoryError(
          `process ${String(op.process)} invokes ${op.f} while its ${prior.f} (invoked at op ${prior.invokeIndex}) is still pending`,
          index,
        );
      }
      pending.set(op.process, paired.length);
      paired.push({
        id: -1,
        process: op.process,
        f: op.f,
        value: op.value,
        key: op.key,
        outcome: 'info',
        invokeIndex: index,
        completeIndex: undefined,
        invokeTime: op.time,
        completeTime: undefined,
      });
      continue;
    }
    if (slot === undefined) {
      throw new MalformedHistoryError(
        `${op.type} completion of ${op.f} by process ${String(op.process)}, which has no pending invocation`,
        index,
      );
    }
    const invoked = paired[slot]!;
    if (invoked.f !== op.f) {
      throw new MalformedHistoryError(
        `${op.type} completion has f ${JSON.stringify(op.f)} but process ${String(op.process)} invoked ${JSON.stringify(invoked.f)} at op ${invoked.invokeIndex}`,
        index,
      );
    }
    pending.delete(op.process);
    if (op.type === 'fail') {
      paired[slot] = undefined;
    } else if (op.type === 'ok') {
      invoked.outcome = 'ok';
      if ((op.value !== undefined && op.value !== null) || invoked.value === undefined || invoked.value === null) {
        invoked.value = op.value;
      }
      if (invoked.key === undefined && op.key !== undefined) invoked.key = op.key;
      invoked.completeIndex = index;
      invoked.completeTime = op.time;
    }
    // info: stays open, with the invocation's value.
  }
  const result: PairedOp[] = [];
  for (const op of paired) {
    if (op === undefined) continue;
    op.id = result.length;
    result.push(op);
  }
  return result;
}
