/**
 * Fault windows for shading the report's charts: from the run's results.json
 * when there is one, else read off the history's nemesis ops.
 */
import type { Json, Op } from '../history/op.js';
import type { FaultWindow } from '../results/results.js';
import { shortJson } from './text.js';

/** A fault window as the page draws it. Times µs since the test started. */
export interface PageFault {
  fault: string;
  startUs: number;
  /** null when the fault was still active at the end. */
  endUs: number | null;
  /** The nodes the detail names (e.g. the grudge's or the killed nodes), possibly empty. */
  nodes: string[];
  /** The detail as short JSON. */
  detail: string;
}

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
 * Reads fault windows off nemesis ops, for histories without a results.json
 * (offline checks, Jepsen histories). A nemesis op whose f is `start` or
 * starts with `start-` opens a window named by the rest ("start-partition" ->
 * "partition"; bare "start" -> "fault"); the matching `stop` op closes it.
 * Jepsen logs each nemesis op twice (invoke and completion, both info): the
 * window runs from the first start to the last of the stops that follow it.
 * Returns the windows in order of start; an unclosed window has no end.
 */
export function faultWindowsFromHistory(history: readonly Op[]): FaultWindow[] {
  const windows: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  const stopping = new Map<string, FaultWindow>();
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    const m = /^(start|stop)(?:-(.+))?$/.exec(op.f);
    if (!m) continue;
    const fault = m[2] ?? 'fault';
    if (m[1] === 'start') {
      stopping.delete(fault);
      const current = open.get(fault);
      if (current) {
        if (isMeaningful(op.value) && !isMeaningful(current.detail)) current.detail = op.value as Json;
        continue;
      }
      const w: FaultWindow = { fault, start: op.time, detail: (op.value ?? null) as Json };
      open.set(fault, w);
      windows.push(w);
    } else {
      const w = open.get(fault) ?? stopping.get(fault);
      if (!w) continue;
      w.end = op.time;
      open.delete(fault);
      stopping.set(fault, w);
    }
  }
  return windows;
}

function isMeaningful(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && /^:?(start|stop)/.test(value));
}

function nodesNamed(detail: unknown, nodes: readonly string[]): string[] {
  const known = new Set(nodes);
  const found = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (typeof v === 'string') {
      if (known.size === 0 ? /^n\d+$/.test(v) : known.has(v)) found.add(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, depth + 1));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        walk(k, depth + 1);
        walk(x, depth + 1);
      }
    }
  };
  walk(detail, 0);
  return [...found].sort();
}
