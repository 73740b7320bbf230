import type { History, Json } from '../history/op.js';
import type { FaultWindow } from '../results/results.js';

export interface WindowSpec {
  /** The f that opens a window, e.g. "start-partition". */
  start: string;
  /** The f that closes it, e.g. "stop-partition". */
  stop: string;
  label: string;
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
  let pendingInvoke = false;
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    // The first of each pair is the invocation; the second carries what was done.
    pendingInvoke = !pendingInvoke;
    if (pendingInvoke) continue;
    // A fault op that failed did not take effect: no window.
    if (op.error !== undefined) continue;
    for (const spec of specs) {
      if (op.f === spec.start && !open.has(spec.label)) {
        const w: FaultWindow = { fault: spec.label, start: op.time, detail: (op.value ?? null) as Json };
        open.set(spec.label, w);
        windows.push(w);
      } else if (op.f === spec.stop) {
        const w = open.get(spec.label);
        if (w) {
          w.end = op.time;
          open.delete(spec.label);
        }
      }
    }
  }
  return windows;
}
