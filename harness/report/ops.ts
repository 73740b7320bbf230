/**
 * The history's client ops as compact columns for the page (timeline and
 * latency scatter). Times are whole microseconds since the test started.
 */
import type { Op, ProcessId } from '../history/op.js';
import { pairOps } from '../history/pair.js';
import { type OpColumns, OUTCOMES, type Outcome } from './page-types.js';
import { shortJson, truncate } from './text.js';

/** Outcome codes in `OpColumns.type`: each outcome's position in OUTCOMES. */
export const OUTCOME = Object.fromEntries(OUTCOMES.map((o, i) => [o, i])) as Record<Outcome, number>;

export type { OpColumns };

export interface OpColumnLimits {
  /** Keep at most this many ops; past it, ok ops are sampled evenly (fail/info/open are all kept). */
  maxOps: number;
  /** Total characters of op text across all ops. */
  textBudget: number;
}

export const DEFAULT_OP_LIMITS: OpColumnLimits = { maxOps: 250_000, textBudget: 8_000_000 };

/**
 * The client ops, paired leniently (a stray completion is skipped, never
 * thrown). Returns the columns and notes on what was elided (empty when nothing was).
 */
export function opColumns(
  history: readonly Op[],
  limits: OpColumnLimits = DEFAULT_OP_LIMITS,
): {
  columns: OpColumns;
  elided: string[];
} {
  // Lenient: a report must render even a malformed history.
  const rows = pairOps(history, { lenient: true }).map((o) => ({ invoke: o.invoke, done: o.complete }));

  const elided: string[] = [];
  let kept = rows;
  if (rows.length > limits.maxOps) {
    const notOk = rows.filter((r) => r.done?.type !== 'ok').length;
    const okBudget = Math.max(0, limits.maxOps - notOk);
    const okTotal = rows.length - notOk;
    const stride = okTotal / Math.max(1, okBudget);
    let nextOk = 0;
    let okSeen = 0;
    kept = rows.filter((r) => {
      if (r.done?.type !== 'ok') return true;
      const keep = okSeen >= nextOk;
      okSeen += 1;
      if (keep) nextOk += stride;
      return keep;
    });
    elided.push(
      `The timeline and latency scatter show ${kept.length} of ${rows.length} ops: every failed, indeterminate and open op, and an even sample of the ok ones. Counts, quantiles and throughput use all ops.`,
    );
  }

  const textCap = Math.min(100, Math.floor(limits.textBudget / Math.max(1, kept.length)));
  const withText = textCap >= 16;
  if (!withText)
    elided.push(`Op values are left out of the timeline's details (${kept.length} ops would make the file too big).`);

  const procIndex = new Map<ProcessId, number>();
  const fIndex = new Map<string, number>();
  const columns: OpColumns = {
    invoke: [],
    complete: [],
    proc: [],
    f: [],
    type: [],
    index: [],
    node: [],
    text: withText ? [] : null,
    processes: [],
    processLane: [],
    lanes: 0,
    fs: [],
    nodes: [],
  };
  const nodeIndex = new Map<string, number>();
  for (const { invoke, done } of kept) {
    let p = procIndex.get(invoke.process);
    if (p === undefined) {
      p = columns.processes.length;
      procIndex.set(invoke.process, p);
      columns.processes.push(String(invoke.process));
    }
    let f = fIndex.get(invoke.f);
    if (f === undefined) {
      f = columns.fs.length;
      fIndex.set(invoke.f, f);
      columns.fs.push(invoke.f);
    }
    columns.invoke.push(us(invoke.time));
    columns.complete.push(done ? us(done.time) : -1);
    columns.proc.push(p);
    columns.f.push(f);
    columns.type.push(done ? OUTCOME[done.type as 'ok' | 'fail' | 'info'] : OUTCOME.open);
    columns.index.push(invoke.index);
    columns.node.push(done?.node === undefined ? -1 : indexOf(nodeIndex, columns.nodes, String(done.node)));
    if (columns.text) columns.text.push(opText(invoke, done, textCap));
  }
  const lanes = packLanes(columns);
  columns.processLane = lanes.processLane;
  columns.lanes = lanes.count;
  return { columns, elided };
}

/** The position of `name` in `names`, appending it the first time. */
function indexOf(index: Map<string, number>, names: string[], name: string): number {
  let i = index.get(name);
  if (i === undefined) {
    i = names.length;
    index.set(name, i);
    names.push(name);
  }
  return i;
}

/** ns -> whole µs. */
export function us(ns: number): number {
  return Math.round(ns / 1000);
}

function opText(invoke: Op, done: Op | undefined, cap: number): string {
  const value = done?.type === 'ok' && done.value !== undefined ? done.value : invoke.value;
  const parts = [invoke.f];
  if (invoke.key !== undefined) parts.push(`[${shortJson(invoke.key, 20)}]`);
  if (value !== undefined && value !== null) parts.push(shortJson(value, cap));
  if (done?.error !== undefined) parts.push(`(${shortJson(done.error, cap)})`);
  return truncate(parts.join(' '), cap);
}

/**
 * Gives processes that never overlap in time the same lane: after an info op a
 * worker continues under a fresh process id, and one lane per worker reads
 * better than hundreds of short lanes. Greedy: processes in order of first
 * invocation take the lane that became free earliest.
 */
function packLanes(c: OpColumns): { processLane: number[]; count: number } {
  const first = new Array<number>(c.processes.length).fill(Infinity);
  const last = new Array<number>(c.processes.length).fill(-Infinity);
  for (let i = 0; i < c.proc.length; i++) {
    const p = c.proc[i]!;
    first[p] = Math.min(first[p]!, c.invoke[i]!);
    const stop = c.complete[i]! >= 0 ? c.complete[i]! : Number.MAX_SAFE_INTEGER; // open: busy for good
    last[p] = Math.max(last[p]!, stop, c.invoke[i]!);
  }
  const order = c.processes.map((_, p) => p).sort((a, b) => first[a]! - first[b]!);
  const laneFreeAt: number[] = [];
  const processLane = new Array<number>(c.processes.length).fill(0);
  for (const p of order) {
    let lane = laneFreeAt.findIndex((free) => free < first[p]!);
    if (lane === -1) {
      lane = laneFreeAt.length;
      laneFreeAt.push(0);
    }
    laneFreeAt[lane] = last[p]!;
    processLane[p] = lane;
  }
  return { processLane, count: laneFreeAt.length };
}
