/**
 * A tiny simulator: runs a generator against N simulated client threads (and
 * optionally a nemesis thread) on a simulated clock, with fixed or scripted
 * op latencies, and returns the history it would record. No real time, no
 * real clients: for testing generators (ours and the workloads' and nemesis
 * packages').
 *
 * It follows the interpreter's rules: completions due before an op's time are
 * handled first (and the generator asked again), invocations and completions
 * are fed back through `update`, an `info` completion retires the process
 * (thread + k * concurrency), and a pending generator is asked again at the
 * next completion, at its wake-up hint, or after `pollNs`.
 *
 * Typical uses:
 *   simulate(clients(workload.generator(opts)), { concurrency: 5, maxOps: 1000 })
 *   simulate(nemesis(pkg.generator), { concurrency: 1, nemesis: true, maxTimeNs: 60e9 })
 * (a bare template may land on any free thread, the nemesis's included:
 * route it as the test will).
 */
import type { Json, Op, OpType } from '../history/op.js';
import { NEMESIS, ThreadTable } from './context.js';
import { DONE, type GenLike, toGen } from './core.js';
import { completionOp, invocationOp } from './events.js';
import type { Generator, Rng, Thread } from './generator.js';
import { seededRng } from './rng.js';

export interface SimResponse {
  /** Default ok (info for nemesis ops). */
  type?: 'ok' | 'fail' | 'info';
  /** Default: the invocation's value. */
  value?: Json;
  error?: Json;
  /** Default: the simulation's latencyNs. */
  latencyNs?: number;
}

export interface SimulateOptions {
  /** Client threads. */
  concurrency: number;
  /** Add the nemesis thread (default false). */
  nemesis?: boolean;
  /** Seed of ctx.rng (default 0). */
  seed?: number;
  /** Time from invocation to completion (default 1 ms). */
  latencyNs?: number;
  /** Decides each completion; `rng` is the simulation's own (not ctx.rng). */
  respond?: (invocation: Op, rng: Rng) => SimResponse;
  /** Stop after this many invocations (default 100,000). */
  maxOps?: number;
  /** Stop once the clock passes this (default one simulated hour). */
  maxTimeNs?: number;
  /** Clock step when pending with nothing running and no wake-up hint (default 10 ms). */
  pollNs?: number;
}

export interface SimulationResult {
  /** Invocations and completions, in order, with index and simulated time. */
  history: Op[];
  /** Just the invocations (client `invoke` and nemesis `info`), in order. */
  invocations: Op[];
  /** The clock when the simulation stopped. */
  endTime: number;
  /**
   * done: the generator finished and every op completed; maxOps / maxTime:
   * a bound was hit (ops still running are left without completion).
   */
  stopped: 'done' | 'maxOps' | 'maxTime';
}

interface Running {
  invocation: Op;
  thread: Thread;
  at: number;
  response: SimResponse;
  seq: number;
}

/**
 * Throws an Error when the generator emits an op for a busy or unknown
 * process (a generator bug the interpreter would also reject).
 */
export function simulate(generator: GenLike, options: SimulateOptions): SimulationResult {
  const latencyNs = options.latencyNs ?? 1_000_000;
  const maxOps = options.maxOps ?? 100_000;
  const maxTimeNs = options.maxTimeNs ?? 3_600e9;
  const pollNs = options.pollNs ?? 10_000_000;
  const table = new ThreadTable(options.concurrency, options.nemesis ?? false, seededRng(options.seed ?? 0));
  const responseRng = seededRng(((options.seed ?? 0) ^ 0x5bd1e995) >>> 0);
  const respond = options.respond ?? ((): SimResponse => ({}));

  const history: Op[] = [];
  const invocations: Op[] = [];
  const running: Running[] = [];
  let gen: Generator = toGen(generator);
  let seq = 0;
  let generatorDone = false;

  const nextCompletion = (): Running | undefined => {
    let best: Running | undefined;
    for (const r of running) if (!best || r.at < best.at || (r.at === best.at && r.seq < best.seq)) best = r;
    return best;
  };

  const complete = (r: Running): void => {
    running.splice(running.indexOf(r), 1);
    table.time = Math.max(table.time, r.at);
    const isNemesis = r.thread === NEMESIS;
    const type: OpType = isNemesis ? 'info' : (r.response.type ?? 'ok');
    const op = completionOp(r.invocation, history.length, table.time, {
      type: type as 'ok' | 'fail' | 'info',
      value: 'value' in r.response ? r.response.value : r.invocation.value,
      error: r.response.error,
    });
    history.push(op);
    table.markFree(r.thread);
    gen = gen.update(table, op);
    if (type === 'info' && !isNemesis) table.retire(r.thread);
  };

  const result = (stopped: SimulationResult['stopped']): SimulationResult => ({
    history,
    invocations,
    endTime: table.time,
    stopped,
  });

  for (;;) {
    if (table.time > maxTimeNs) return result('maxTime');
    // Like the interpreter: everything that has finished by now is handled before asking.
    let due = nextCompletion();
    if (due && due.at <= table.time) {
      complete(due);
      continue;
    }
    // Done is final: afterwards only the running ops complete.
    const step = generatorDone ? DONE : gen.op(table);
    due = nextCompletion();

    if (step.kind === 'done') {
      generatorDone = true;
      if (!due) return result('done');
      complete(due);
      continue;
    }
    if (step.kind === 'pending') {
      gen = step.next;
      const wake = step.wakeAt !== undefined && step.wakeAt > table.time ? step.wakeAt : undefined;
      if (due && (wake === undefined || due.at <= wake)) complete(due);
      else table.time = wake ?? table.time + pollNs;
      continue;
    }

    const op = step.op;
    if (due && due.at <= op.time) {
      complete(due); // something finishes before this op is due: handle it, then ask again
      continue;
    }
    if (invocations.length >= maxOps) return result('maxOps');
    const thread = table.thread(op.process);
    if (thread === undefined || !table.isFree(thread)) {
      throw new Error(`generator emitted an op for process ${String(op.process)}, which is busy or unknown`);
    }
    table.time = Math.max(table.time, op.time);
    if (table.time > maxTimeNs) return result('maxTime');
    const invocation = invocationOp(op, history.length, table.time);
    history.push(invocation);
    invocations.push(invocation);
    table.markBusy(thread);
    gen = step.next.update(table, invocation);
    const response = respond(invocation, responseRng);
    running.push({ invocation, thread, at: table.time + (response.latencyNs ?? latencyNs), response, seq: seq++ });
  }
}
