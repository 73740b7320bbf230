/**
 * A realistic synthetic run for developing and testing the report: a
 * register workload (read / write / cas on one key) by `concurrency` workers
 * against a simulated linearizable register, with partition, kill and clock
 * faults that slow ops down and make some time out (info) or fail. With
 * `stale`, one read during (or soon after) the first partition returns the
 * value from before the latest write, so the history is not linearizable.
 *
 * Deterministic for a given seed. Not a fake checker result: the caller runs
 * the real checker on the history.
 */

import { seededRng } from '../generator/rng.js';
import type { Json, Op } from '../history/op.js';
import type { FaultWindow, TestRecord } from '../results/results.js';

export interface SyntheticOptions {
  ops: number;
  concurrency?: number;
  seed?: number;
  /** Make one read invoked during (or after) the first partition stale: the history is then not linearizable. */
  stale?: boolean;
  /** A value placed in the test name, an op error and a fault detail, to test escaping. */
  hostile?: string;
}

export interface SyntheticRun {
  test: TestRecord;
  history: Op[];
  faults: FaultWindow[];
  durationSeconds: number;
  /** Invocation time (ns) of the stale read, when one was made. */
  staleReadAt: number | undefined;
}

const NS_PER_MS = 1e6;

/** Builds the run. Faults recur every 20 s of simulated time: partition, then kill, then clock skew. */
export function syntheticRun(options: SyntheticOptions): SyntheticRun {
  const concurrency = options.concurrency ?? 5;
  const rng = seededRng(options.seed ?? 42);
  const hostile = options.hostile;
  // Mean op spacing per worker ~ 4 ms; the run's length follows from the op count.
  const spanNs = Math.max(1, Math.ceil(options.ops / concurrency)) * 4 * NS_PER_MS;
  const faults = faultSchedule(spanNs, hostile);
  // Clients time out after 1 s (less in very short runs, so they do not sit out most of it).
  const timeoutNs = Math.min(1000, Math.max(50, Math.round(spanNs / NS_PER_MS / 40))) * NS_PER_MS;
  const faultAt = (t: number): FaultWindow | undefined => faults.find((w) => w.start <= t && t < (w.end ?? Infinity));

  interface Planned {
    process: number;
    f: 'read' | 'write' | 'cas';
    arg: Json;
    invoke: number;
    complete: number;
    outcome: 'ok' | 'fail' | 'info';
    /** The linearization point; undefined when the op does not take effect. */
    point: number | undefined;
    result?: Json;
    error?: Json;
  }
  const planned: Planned[] = [];
  const perWorker = Math.ceil(options.ops / concurrency);
  for (let w = 0; w < concurrency; w++) {
    let process = w;
    let t = rng.int(2 * NS_PER_MS);
    for (let k = 0; k < perWorker && planned.length < options.ops; k++) {
      const fault = faultAt(t);
      const r = rng.next();
      const f = r < 0.5 ? 'read' : r < 0.8 ? 'write' : 'cas';
      const arg: Json = null; // values are given in invocation order below
      // Latency: ~1-3 ms normally; a long tail, much slower during a fault.
      let latency = (0.6 + rng.next() * 2 + (rng.next() < 0.01 ? 20 * rng.next() : 0)) * NS_PER_MS;
      let outcome: Planned['outcome'] = 'ok';
      let error: Json | undefined;
      if (fault && fault.fault !== 'clock') {
        const roll = rng.next();
        if (roll < 0.25) {
          outcome = 'info';
          latency = timeoutNs; // client timeout
          error = hostile && planned.length % 7 === 0 ? hostile : `timeout after ${timeoutNs / NS_PER_MS} ms`;
        } else if (roll < 0.45) {
          outcome = 'fail';
          latency = (2 + rng.next() * 10) * NS_PER_MS;
          error = 'connection refused';
        } else latency *= 3 + rng.next() * 20;
      }
      const invoke = Math.round(t);
      const complete = Math.round(t + latency);
      // An info op may or may not take effect: here half of them do.
      const takesEffect = outcome === 'ok' || (outcome === 'info' && f !== 'read' && rng.next() < 0.5);
      const point = takesEffect ? invoke + rng.next() * (complete - invoke) : undefined;
      planned.push({ process, f, arg, invoke, complete, outcome, point, error });
      if (outcome === 'info') process += concurrency; // a fresh process id after an indeterminate op
      t = complete + (0.2 + rng.next() * 1.5) * NS_PER_MS;
    }
  }

  // Every write and cas writes a fresh value (a counter in invocation order), so a
  // stale read cannot be explained by some other write of the same value. A cas
  // expects one of the latest values.
  let counter = 0;
  for (const p of [...planned].sort((a, b) => a.invoke - b.invoke)) {
    if (p.f === 'write') p.arg = ++counter;
    else if (p.f === 'cas') p.arg = [Math.max(0, counter - rng.int(2)), ++counter];
  }

  // Apply the ops to a register in linearization-point order.
  let register: Json = 0;
  let previous: Json = 0;
  // Completion time of the ok op that set the register's value: a read invoked after it must see it.
  // (Infinity when an indeterminate op set it: a checker may assume it never happened.)
  let setAt = 0;
  // For a stale read to be certain, the write of `previous` must also come strictly
  // before the write that replaced it (else a checker may order them the other way).
  let setInvokedAt = 0;
  let previousSetAt = 0;
  const effective = planned.filter((p) => p.point !== undefined).sort((a, b) => a.point! - b.point!);
  const partition = faults.find((w) => w.fault === 'partition');
  let staleDone = !options.stale;
  let staleReadAt: number | undefined;
  for (const p of effective) {
    if (p.f === 'read') {
      // In the first partition, or the first chance after it when none came up during it.
      const inPartition = partition !== undefined && p.invoke >= partition.start;
      if (
        !staleDone &&
        inPartition &&
        previous !== register &&
        setAt < p.invoke &&
        previousSetAt < setInvokedAt &&
        p.outcome === 'ok'
      ) {
        p.result = previous; // the anomaly: a read from a lagging replica
        staleDone = true;
        staleReadAt = p.invoke;
      } else p.result = register;
    } else if (p.f === 'write') {
      previous = register;
      register = p.arg;
      previousSetAt = setAt;
      setAt = p.outcome === 'ok' ? p.complete : Infinity;
      setInvokedAt = p.invoke;
    } else {
      const [from, to] = p.arg as [number, number];
      if (register === from) {
        previous = register;
        register = to;
        previousSetAt = setAt;
        setAt = p.outcome === 'ok' ? p.complete : Infinity;
        setInvokedAt = p.invoke;
      } else if (p.outcome === 'ok') {
        p.outcome = 'fail'; // cas on the wrong value: definitely did not happen
        p.error = `expected ${from}, register held ${JSON.stringify(register)}`;
      }
    }
  }

  const events: { time: number; order: number; op: Omit<Op, 'index'> }[] = [];
  planned.forEach((p, i) => {
    events.push({
      time: p.invoke,
      order: i * 2,
      op: { type: 'invoke', time: p.invoke, process: p.process, f: p.f, value: p.arg },
    });
    const value = p.f === 'read' ? (p.outcome === 'ok' ? (p.result ?? null) : null) : p.arg;
    const done = {
      type: p.outcome,
      time: p.complete,
      process: p.process,
      f: p.f,
      value,
      node: `n${(p.process % 3) + 1}`,
    };
    events.push({ time: p.complete, order: i * 2 + 1, op: p.error === undefined ? done : { ...done, error: p.error } });
  });
  for (const w of faults) {
    const f = w.fault;
    events.push({
      time: w.start,
      order: -1,
      op: { type: 'info', time: w.start, process: 'nemesis', f: `start-${f}`, value: w.detail },
    });
    // The clock nemesis measures the offsets again after resetting them.
    const healed: Json =
      f === 'clock' ? { measured: { n1: { offsetMs: 0 }, n2: { offsetMs: 1 }, n3: { offsetMs: 0 } } } : null;
    if (w.end !== undefined)
      events.push({
        time: w.end,
        order: -1,
        op: { type: 'info', time: w.end, process: 'nemesis', f: `stop-${f}`, value: healed },
      });
  }
  events.sort((a, b) => a.time - b.time || a.order - b.order);
  const history = events.map((e, index) => ({ ...e.op, index }) as Op);
  const end = history.length ? history[history.length - 1]!.time : 0;

  const test: TestRecord = {
    name: hostile ? `register ${hostile}` : 'register',
    target: 'synthetic',
    workload: 'register',
    nemesis: ['partition', 'kill', 'clock'],
    runtime: 'none',
    nodes: ['n1', 'n2', 'n3'],
    concurrency,
    timeLimitSeconds: Math.ceil(end / 1e9),
    seed: options.seed ?? 42,
    startedAt: '2026-01-01T00:00:00.000Z',
    // The stale read is what serializable reads (served by any member, not through the leader) allow.
    options: { ops: options.ops, targetOptions: { readMode: 'serializable' } },
  };
  return { test, history, faults, durationSeconds: end / 1e9, staleReadAt };
}

/** Partition, kill and clock windows over the run: each 5 s within a 20 s cycle (scaled down for short runs). */
function faultSchedule(spanNs: number, hostile: string | undefined): FaultWindow[] {
  const cycle = Math.min(20_000 * NS_PER_MS, spanNs / 3.2);
  const windows: FaultWindow[] = [];
  for (let start = cycle * 0.2, i = 0; start < spanNs * 0.9; start += cycle, i++) {
    const len = cycle * 0.25;
    const kind = i % 3;
    if (kind === 0) {
      windows.push({
        fault: 'partition',
        start,
        end: start + len,
        detail: { n1: ['n2', 'n3'], ...(hostile ? { note: hostile } : {}) },
      });
    } else if (kind === 1) {
      windows.push({ fault: 'kill', start, end: start + len, detail: { killed: ['n2'] } });
    } else {
      windows.push({
        fault: 'clock',
        start,
        end: start + len,
        detail: {
          offsets: { n1: 0, n2: 250, n3: -120 },
          measured: { n1: { offsetMs: 1 }, n2: { offsetMs: 251 }, n3: { offsetMs: -119 } },
        },
      });
    }
  }
  return windows.map((w) => ({
    ...w,
    start: Math.round(w.start),
    end: w.end === undefined ? undefined : Math.round(w.end),
  }));
}
