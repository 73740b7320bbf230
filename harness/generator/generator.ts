/**
 * Generator: a pure value that says what to do next.
 *
 * Given a context, `op` returns the next op and the generator that follows it,
 * or "pending" (nothing now, ask again later or after an event), or "done".
 * `update` lets a generator react to an event (an invocation or completion
 * the interpreter recorded). Neither mutates the generator: they return new ones.
 *
 * All randomness comes from `ctx.rng`, seeded once per test, so the same seed
 * on the same (simulated) clock gives the same schedule.
 */
import type { Op, OpRequest, ProcessId } from '../history/op.js';
import type { Rng } from '../history/random.js';

/** A worker thread: client workers are 0..concurrency-1; the nemesis worker is "nemesis". */
export type Thread = number | 'nemesis';

/** Deterministic random numbers (see harness/history/random.ts). */
export type { Rng } from '../history/random.js';

export interface GenContext {
  /** Nanoseconds since the test started (simulated in tests). */
  readonly time: number;
  /** Every thread of the test. */
  readonly threads: readonly Thread[];
  /** Threads not currently running an op. */
  readonly freeThreads: readonly Thread[];
  /** The process id each thread currently runs as (changes after an `info`). */
  process(thread: Thread): ProcessId;
  /** Which thread runs as this process. */
  thread(process: ProcessId): Thread | undefined;
  readonly rng: Rng;
}

/**
 * An op a generator asks for: an OpRequest (see harness/history/op.ts) with
 * when it is due. Client ops are invocations; nemesis ops are recorded as info.
 * The interpreter fills in index and the real time.
 */
export type GenOp = OpRequest & {
  type: 'invoke' | 'info';
  /** Not before this time (ns); the interpreter waits until then. */
  time: number;
};

export type GenStep =
  | { readonly kind: 'op'; readonly op: GenOp; readonly next: Generator }
  /**
   * Nothing now. `wakeAt` (optional, ns) is the earliest time the answer can
   * change without an event, e.g. the end of a sleep: the interpreter asks
   * again then (or after the next event, or after a short poll when absent).
   */
  | { readonly kind: 'pending'; readonly next: Generator; readonly wakeAt?: number }
  | { readonly kind: 'done' };

export interface Generator {
  op(ctx: GenContext): GenStep;
  update(ctx: GenContext, event: Op): Generator;
}
