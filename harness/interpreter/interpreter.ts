/**
 * The interpreter: runs a generator against real clients and a nemesis,
 * recording every invocation and completion in the history.
 *
 * Like Jepsen's, it is one scheduler loop plus one worker per thread
 * (`concurrency` client workers and, when there is a nemesis, a nemesis
 * worker). The loop alone owns the generator: it hands each op to the
 * worker of the op's thread, and feeds every invocation and completion back
 * through `update`. Workers run ops concurrently (they are async tasks) and
 * report completions to the loop.
 *
 * The loop, each round:
 * 1. records the completions that arrived (index, time), frees their
 *    threads, updates the generator, and after a client `info` gives the
 *    thread a fresh process (thread + k * concurrency: the indeterminate op
 *    stays open forever);
 * 2. asks the generator: an op due now is recorded as invoked and handed to
 *    its worker; an op due later waits until then unless a completion comes
 *    first (then the generator is asked again); `pending` waits for a
 *    completion, the generator's wake-up time, or `pollMs`; `done` ends the
 *    run once nothing is running.
 *
 * Times are monotonic nanoseconds since the run started
 * (process.hrtime.bigint()); `index` is the position in the history.
 *
 * Stopping early (`signal` aborted, e.g. Ctrl-C): no new op starts; ops
 * already running complete or time out as usual (client ops within
 * `opTimeoutMs`; a nemesis op is given `opTimeoutMs` more, then recorded as
 * info "aborted"), so the history stays well formed. Clients are closed at
 * the end in every case. The writer is flushed but not closed: its owner
 * closes it.
 */

import type { Client } from '../../workloads/client.js';
import { NEMESIS, ThreadTable } from '../generator/context.js';
import { completionOp, invocationOp } from '../generator/events.js';
import type { Generator, Rng, Thread } from '../generator/generator.js';
import type { Json, Op } from '../history/op.js';
import { sanitizeJson } from '../history/sanitize.js';
import type { Logger } from '../log.js';
import type { NodeInfo } from '../runtime/runtime.js';
import { type Answer, recordedFields } from './answer.js';
import { ClientWorker, describeValue } from './client-worker.js';

/** What the interpreter needs of the nemesis (the run wires it to the NemesisPackage's Nemesis). */
export interface NemesisInvoker {
  /** `signal` aborts when the run stops early. The returned value is recorded in the history. */
  invoke(op: { f: string; value?: Json }, signal: AbortSignal): Promise<{ value: Json; error?: string }>;
}

export interface InterpreterOptions {
  generator: Generator;
  /** Client threads (workers). */
  concurrency: number;
  /** A fresh client for a thread (called again after each `info`). */
  makeClient: (thread: number) => Client;
  /** The node a thread's client talks to. */
  nodeFor: (thread: number) => NodeInfo;
  /** Without one, there is no nemesis thread: nemesis generators are done at once. */
  nemesis?: NemesisInvoker;
  /** Where the history goes (see harness/history/writer.ts). */
  writer: { append(op: Op): void; flush(): Promise<void> };
  /** ctx.rng for the generator: seeded from the test's seed. */
  rng: Rng;
  /** A client op (and a client open or close) that takes longer is abandoned as `info`. */
  opTimeoutMs: number;
  /** Stop early (Ctrl-C). */
  signal?: AbortSignal;
  /** Called with every op recorded (live stats); exceptions are logged and ignored. */
  onOp?: (op: Op) => void;
  log: Logger;
  /** How often a pending generator with no wake-up time is asked again (default 100 ms). */
  pollMs?: number;
  /** Least time between attempts to open a client that failed to open (default 1000 ms). */
  reopenBackoffMs?: number;
}

export interface InterpreterResult {
  /** Entries written to the history (invocations and completions, client and nemesis). */
  ops: number;
  /** Client invocations and their completions by type. */
  client: { invoke: number; ok: number; fail: number; info: number };
  /** Client ops abandoned at the per-op timeout (counted in `info` too). */
  timeouts: number;
  /** Nemesis ops run. */
  nemesisOps: number;
  /** Client ops still running when the run ended (only when a nemesis or client ignored everything; normally 0). */
  unfinished: number;
  durationSeconds: number;
  /** Whether `signal` stopped the run before the generator was done. */
  aborted: boolean;
}

interface Arrived {
  thread: Thread;
  time: number;
  answer: Answer;
}

/**
 * Runs the generator to its end (or until `signal` aborts). Resolves with
 * counts. Rejects (after the ops in flight finished and the clients were
 * closed) only for a broken generator — an op for a busy or unknown process,
 * or an exception from the generator (e.g. a UserError from independent keys)
 * — or a failing history writer. Client and nemesis failures never reject:
 * they are recorded as fail or info.
 */
export async function runInterpreter(options: InterpreterOptions): Promise<InterpreterResult> {
  const { concurrency, opTimeoutMs, log } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  if (!(opTimeoutMs > 0)) throw new RangeError(`opTimeoutMs must be positive, got ${opTimeoutMs}`);
  const pollNs = (options.pollMs ?? 100) * 1e6;
  const runSignal = options.signal ?? new AbortController().signal;

  const start = process.hrtime.bigint();
  const now = (): number => Number(process.hrtime.bigint() - start);

  const table = new ThreadTable(concurrency, options.nemesis !== undefined, options.rng);
  const workers = Array.from(
    { length: concurrency },
    (_, thread) =>
      new ClientWorker({
        thread,
        makeClient: options.makeClient,
        node: options.nodeFor(thread),
        opTimeoutMs,
        reopenBackoffMs: options.reopenBackoffMs ?? 1000,
        log,
        runSignal,
      }),
  );

  const result: InterpreterResult = {
    ops: 0,
    client: { invoke: 0, ok: 0, fail: 0, info: 0 },
    timeouts: 0,
    nemesisOps: 0,
    unfinished: 0,
    durationSeconds: 0,
    aborted: false,
  };

  // Ops running, by thread: the invocation recorded for each.
  const running = new Map<Thread, Op>();
  const arrived: Arrived[] = [];
  let wakeLoop: (() => void) | undefined;
  const arrive = (a: Arrived): void => {
    arrived.push(a);
    wakeLoop?.();
  };
  const onAbort = () => wakeLoop?.();
  runSignal.addEventListener('abort', onAbort);

  let gen = options.generator;
  let index = 0;
  let failure: unknown;
  let generatorDone = false;

  const record = (op: Op): void => {
    options.writer.append(op);
    index++;
    result.ops++;
    if (options.onOp) {
      try {
        options.onOp(op);
      } catch (err) {
        log.warn(`onOp threw (ignored): ${describeValue(err)}`);
      }
    }
  };

  const recordArrived = (): void => {
    for (let i = 0; i < arrived.length; i++) {
      const { thread, time, answer } = arrived[i]!;
      const invocation = running.get(thread)!;
      running.delete(thread);
      const op = completionOp(invocation, index, time, recordedFields(answer));
      record(op);
      if (thread !== NEMESIS) result.client[op.type as 'ok' | 'fail' | 'info']++;
      table.markFree(thread);
      table.time = now();
      if (failure === undefined) gen = gen.update(table, op);
      // After the update, like Jepsen: the generator sees the completion on the old process.
      if (op.type === 'info' && thread !== NEMESIS) table.retire(thread);
    }
    arrived.length = 0;
  };

  /** Waits for a completion, an abort, or until `untilNs` (if given). */
  const waitForEvent = (untilNs?: number): Promise<void> => {
    if (arrived.length > 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let immediate: NodeJS.Immediate | undefined;
      const done = () => {
        wakeLoop = undefined;
        if (timer) clearTimeout(timer);
        if (immediate) clearImmediate(immediate);
        resolve();
      };
      wakeLoop = done;
      if (untilNs !== undefined) {
        const ms = (untilNs - now()) / 1e6;
        // setTimeout cannot wait less than 1 ms: ask again on the next turn instead.
        if (ms < 1) immediate = setImmediate(done);
        else timer = setTimeout(done, Math.floor(ms));
      }
    });
  };

  const dispatch = (thread: Thread, invocation: Op): void => {
    running.set(thread, invocation);
    if (thread === NEMESIS) {
      result.nemesisOps++;
      void runNemesisOp(invocation).then((answer) => arrive({ thread, time: now(), answer }));
    } else {
      result.client.invoke++;
      void workers[thread as number]!.run(invocation).then((answer) => arrive({ thread, time: now(), answer }));
    }
  };

  const runNemesisOp = async (invocation: Op): Promise<Answer> => {
    const nemesis = options.nemesis!;
    const request: { f: string; value?: Json } = { f: invocation.f };
    if (invocation.value !== undefined) request.value = invocation.value;
    let answered: Promise<Answer>;
    try {
      answered = nemesis.invoke(request, runSignal).then(
        (r): Answer => ({ type: 'info', value: r?.value ?? null, error: r?.error }),
        (err: unknown): Answer => ({
          type: 'info',
          value: invocation.value,
          error: `nemesis threw: ${describeValue(err)}`,
        }),
      );
    } catch (err) {
      answered = Promise.resolve({
        type: 'info',
        value: invocation.value,
        error: `nemesis threw: ${describeValue(err)}`,
      });
    }
    // No timeout of its own (a nemesis bounds its commands), except when the run is stopping.
    const givenUp = new Promise<Answer>((resolve) => {
      const giveUp = () => {
        const error = `aborted: the nemesis had not answered ${opTimeoutMs} ms after the run was stopped`;
        setTimeout(() => resolve({ type: 'info', value: invocation.value, error }), opTimeoutMs).unref();
      };
      if (runSignal.aborted) giveUp();
      else runSignal.addEventListener('abort', giveUp, { once: true });
      void answered.then(() => runSignal.removeEventListener('abort', giveUp));
    });
    return Promise.race([answered, givenUp]);
  };

  // Open every client before the first op; failures are retried before the thread's first op.
  const opened = await Promise.all(workers.map((w) => w.open()));
  const failedOpens = opened.filter((ok) => !ok).length;
  if (failedOpens > 0)
    log.warn(`${failedOpens} of ${concurrency} clients could not be opened; retrying before their ops`);

  try {
    for (;;) {
      recordArrived();
      if (runSignal.aborted || failure !== undefined) {
        if (runSignal.aborted && failure === undefined && !result.aborted) {
          result.aborted = true;
          log.info(`run stopped early; waiting for ${running.size} running op(s)`);
        }
        if (running.size === 0) break;
        await waitForEvent();
        continue;
      }
      if (generatorDone) {
        // Done is final: only the running ops are left to record.
        if (running.size === 0) break;
        await waitForEvent();
        continue;
      }
      table.time = now();
      let step: ReturnType<Generator['op']>;
      try {
        step = gen.op(table);
      } catch (err) {
        failure = err;
        continue;
      }
      if (step.kind === 'done') {
        generatorDone = true;
        continue;
      }
      if (step.kind === 'pending') {
        gen = step.next;
        await waitForEvent(step.wakeAt ?? table.time + pollNs);
        continue;
      }
      const op = step.op;
      if (op.time > table.time) {
        // Wait for the op's time; if something completes first, ask the generator again.
        do await waitForEvent(op.time);
        while (arrived.length === 0 && !runSignal.aborted && now() < op.time);
        if (arrived.length > 0 || runSignal.aborted) continue;
      }
      const thread = table.thread(op.process);
      if (thread === undefined || !table.isFree(thread)) {
        failure = new Error(
          `generator bug: op ${JSON.stringify(op)} is for process ${String(op.process)}, which is busy or unknown`,
        );
        continue;
      }
      // Generator values are typed Json, but a template function may still slip in an undefined or a BigInt.
      const clean =
        op.value === undefined && op.key === undefined
          ? op
          : { ...op, value: sanitizeJson(op.value), key: sanitizeJson(op.key) };
      const invocation = invocationOp(clean, index, now());
      try {
        record(invocation);
      } catch (err) {
        failure = err;
        continue;
      }
      table.markBusy(thread);
      dispatch(thread, invocation);
      try {
        gen = step.next.update(table, invocation);
      } catch (err) {
        failure = err;
      }
    }
  } catch (err) {
    // Recording a completion failed (the writer): nothing more can be recorded.
    failure ??= err;
  } finally {
    runSignal.removeEventListener('abort', onAbort);
    result.unfinished = running.size;
    await Promise.all(workers.map((w) => w.close()));
    result.timeouts = workers.reduce((n, w) => n + w.timeouts, 0);
    result.durationSeconds = now() / 1e9;
  }
  if (failure === undefined) {
    await options.writer.flush();
  } else {
    await options.writer.flush().catch(() => undefined);
    throw failure;
  }
  return result;
}
