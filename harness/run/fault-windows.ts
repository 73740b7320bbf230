import type { CompletionOp, History, Json } from '../history/op.js';
import { pairOps } from '../history/pair.js';
import type { FaultWindow } from '../results/results.js';

export interface WindowSpec {
  /** The f that opens a window, e.g. "start-partition". */
  start: string;
  /** The f that closes it, e.g. "stop-partition". */
  stop: string;
  label: string;
  /** What the start op did, in a few words ("n1 n2 | n3 n4 n5", "paused n3"), from its completion's value. */
  describe?: ((value: Json) => string) | undefined;
}

/**
 * Derives fault windows from the nemesis ops of a history. A nemesis op is an
 * info invocation followed by an info completion; a window opens when a start
 * op completes (the fault is in effect from then) and closes when the matching
 * stop op completes. A completion with an `error` (the fault was not applied,
 * or the stop failed) changes nothing. A window still open at the end has no `end`.
 */
export function faultWindows(history: History, specs: readonly WindowSpec[]): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  for (const { complete } of pairOps(history, { processes: 'nemesis', lenient: true })) {
    // Only the completion says what was done; one that failed did not take effect: no window.
    if (complete === undefined || complete.error !== undefined) continue;
    applyToWindows(open, specs, complete, (w) => windows.push(w));
  }
  return windows;
}

/**
 * Applies one nemesis completion to the open windows (by label): a start op
 * opens one (reported through `opened`), a stop op closes it. Shared by the
 * live status line.
 */
export function applyToWindows(
  open: Map<string, FaultWindow>,
  specs: readonly WindowSpec[],
  completion: CompletionOp,
  opened: (w: FaultWindow) => void = () => {},
): void {
  for (const spec of specs) {
    if (completion.f === spec.start && !open.has(spec.label)) {
      const detail = completion.value ?? null;
      const w: FaultWindow = { fault: spec.label, start: completion.time, detail };
      const text = describeSafely(spec, detail);
      if (text !== undefined) w.text = text;
      open.set(spec.label, w);
      opened(w);
    } else if (completion.f === spec.stop) {
      const w = open.get(spec.label);
      if (w) {
        w.end = completion.time;
        open.delete(spec.label);
      }
    }
  }
}

/** A spec's words for a fault, or undefined when it has none or they fail on odd recorded data. */
function describeSafely(spec: WindowSpec, detail: Json): string | undefined {
  try {
    const text = spec.describe?.(detail);
    return typeof text === 'string' && text !== '' ? text : undefined;
  } catch {
    return undefined;
  }
}
