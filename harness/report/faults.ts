/**
 * Fault windows for shading the report's charts: from the run's results.json
 * when there is one, else read off the history's nemesis ops.
 */
import type { History } from '../history/op.js';
import type { FaultWindow } from '../results/results.js';
import { faultWindows, type WindowSpec } from '../run/fault-windows.js';
import type { PageFault } from './page-types.js';
import { shortJson } from './text.js';

export type { PageFault };

/** Converts FaultWindows; `nodes` is the run's node list, used to name the nodes a fault touched. */
export function pageFaults(windows: readonly FaultWindow[], nodes: readonly string[]): PageFault[] {
  return windows.map((w) => ({
    fault: String(w.fault),
    startUs: Math.round(w.start / 1000),
    endUs: typeof w.end === 'number' && Number.isFinite(w.end) ? Math.round(w.end / 1000) : null,
    nodes: nodesNamed(w.detail, nodes),
    detail: shortJson(w.detail, 300),
  }));
}

/**
 * The fault windows the nemesis packages draw (their `windows`, see
 * nemesis/packages.ts), plus strobe-clock, which skews clocks until
 * reset-clock like bump-clock does.
 */
export const FAULT_WINDOW_SPECS: readonly WindowSpec[] = [
  { start: 'start-partition', stop: 'stop-partition', label: 'partition' },
  { start: 'start-packet', stop: 'stop-packet', label: 'packet loss' },
  { start: 'kill', stop: 'start', label: 'kill' },
  { start: 'pause', stop: 'resume', label: 'pause' },
  { start: 'bump-clock', stop: 'reset-clock', label: 'clock skew' },
  { start: 'strobe-clock', stop: 'reset-clock', label: 'clock skew' },
];

/**
 * Jepsen's older nemeses (partition-random-halves, ...) log a bare `start` and
 * `stop`. Used only when the history has a `stop` op: faultline (and Jepsen's
 * combined nemeses) never log one, and there `start` restarts killed nodes.
 */
const JEPSEN_START_STOP: WindowSpec = { start: 'start', stop: 'stop', label: 'fault' };

/**
 * Reads fault windows off nemesis ops, for histories without a results.json
 * (offline checks, Jepsen histories), with the same rules as a run
 * (../run/fault-windows.ts): a window opens when a start op such as `kill`
 * completes without an `error` and closes when its stop op (`start`)
 * completes. Returns the windows in order of start; an unclosed window has no end.
 */
export function faultWindowsFromHistory(history: History): FaultWindow[] {
  const jepsenStartStop = history.some((op) => op.process === 'nemesis' && op.f === 'stop');
  return faultWindows(history, jepsenStartStop ? [...FAULT_WINDOW_SPECS, JEPSEN_START_STOP] : FAULT_WINDOW_SPECS);
}

function nodesNamed(detail: unknown, nodes: readonly string[]): string[] {
  const known = new Set(nodes);
  const found = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (typeof v === 'string') {
      if (known.size === 0 ? /^n\d+$/.test(v) : known.has(v)) found.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        walk(k, depth + 1);
        walk(x, depth + 1);
      }
    }
  };
  walk(detail, 0);
  return [...found].sort();
}
