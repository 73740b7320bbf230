/**
 * The context generators see: the clock, the threads, which are free, and the
 * process each thread currently runs as. `ThreadTable` is the mutable state
 * behind it, shared by the real interpreter and the simulator; generators only
 * ever read it. `restrictContext` is how routing combinators (clients,
 * nemesis, eachThread, reserve, independent keys) show a generator only some
 * of the threads.
 */
import type { ProcessId } from '../history/op.js';
import type { GenContext, Rng, Thread } from './generator.js';

export const NEMESIS: Thread = 'nemesis';

export class ThreadTable implements GenContext {
  /** Nanoseconds since the test started; the owner advances it. */
  time = 0;
  readonly threads: readonly Thread[];
  readonly rng: Rng;
  readonly concurrency: number;
  private readonly busy = new Set<Thread>();
  private readonly processOf = new Map<Thread, ProcessId>();
  private readonly threadOf = new Map<ProcessId, Thread>();
  private freeCache: readonly Thread[] | undefined;

  /** Client threads 0..concurrency-1 run as processes 0..concurrency-1 at first; "nemesis" is added when `withNemesis`. */
  constructor(concurrency: number, withNemesis: boolean, rng: Rng) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.concurrency = concurrency;
    this.rng = rng;
    const threads: Thread[] = Array.from({ length: concurrency }, (_, i) => i);
    if (withNemesis) threads.push(NEMESIS);
    this.threads = threads;
    for (const t of threads) {
      this.processOf.set(t, t);
      this.threadOf.set(t, t);
    }
  }

  get freeThreads(): readonly Thread[] {
    this.freeCache ??= this.threads.filter((t) => !this.busy.has(t));
    return this.freeCache;
  }

  isFree(thread: Thread): boolean {
    return this.processOf.has(thread) && !this.busy.has(thread);
  }

  /** Throws a RangeError for a thread that is not part of this test. */
  process(thread: Thread): ProcessId {
    const p = this.processOf.get(thread);
    if (p === undefined) throw new RangeError(`no such thread: ${String(thread)}`);
    return p;
  }

  /** The thread running as `process` now; undefined for a retired or unknown process. */
  thread(process: ProcessId): Thread | undefined {
    return this.threadOf.get(process);
  }

  markBusy(thread: Thread): void {
    this.busy.add(thread);
    this.freeCache = undefined;
  }

  markFree(thread: Thread): void {
    this.busy.delete(thread);
    this.freeCache = undefined;
  }

  /**
   * After an `info` completion the thread continues as a fresh process
   * (thread + k * concurrency, like Jepsen). Returns the new process id.
   * The nemesis is never retired: its process stays "nemesis".
   */
  retire(thread: Thread): ProcessId {
    if (thread === NEMESIS) return NEMESIS;
    const old = this.process(thread) as number;
    const fresh = old + this.concurrency;
    this.threadOf.delete(old);
    this.processOf.set(thread, fresh);
    this.threadOf.set(fresh, thread);
    return fresh;
  }
}

/**
 * A view of `ctx` limited to `threads` (a subset of ctx.threads, in order).
 * `allowed` must contain exactly those threads; routing combinators build both
 * once and reuse them. Free threads are computed lazily on each view.
 */
export function restrictContext(ctx: GenContext, threads: readonly Thread[], allowed: ReadonlySet<Thread>): GenContext {
  return new RestrictedContext(ctx, threads, allowed, undefined);
}

/**
 * A view of `ctx` limited to a single thread (cheap: no filtering). Pass
 * `knownFree` when the caller already knows whether the thread is free.
 */
export function singleThreadContext(ctx: GenContext, thread: Thread, knownFree?: boolean): GenContext {
  const threads = [thread];
  const free = knownFree === undefined ? undefined : knownFree ? threads : [];
  return new RestrictedContext(ctx, threads, undefined, free);
}

// A class rather than an object literal: one view is made per generator call,
// so it should allocate as little as possible.
class RestrictedContext implements GenContext {
  constructor(
    private readonly parent: GenContext,
    readonly threads: readonly Thread[],
    /** undefined for a single-thread view. */
    private readonly allowed: ReadonlySet<Thread> | undefined,
    private free: readonly Thread[] | undefined,
  ) {}

  private has(thread: Thread): boolean {
    return this.allowed === undefined ? thread === this.threads[0] : this.allowed.has(thread);
  }

  get time(): number {
    return this.parent.time;
  }

  get rng(): Rng {
    return this.parent.rng;
  }

  get freeThreads(): readonly Thread[] {
    if (this.free === undefined) {
      const parentFree = this.parent.freeThreads;
      // Every thread free in the parent and allowed here, in parent order.
      this.free =
        this.allowed === undefined
          ? parentFree.includes(this.threads[0]!)
            ? this.threads
            : []
          : parentFree.filter((t) => this.has(t));
    }
    return this.free;
  }

  /** Throws a RangeError for a thread outside this view. */
  process(thread: Thread): ProcessId {
    if (!this.has(thread)) throw new RangeError(`thread ${String(thread)} is outside this generator's threads`);
    return this.parent.process(thread);
  }

  thread(process: ProcessId): Thread | undefined {
    const t = this.parent.thread(process);
    return t !== undefined && this.has(t) ? t : undefined;
  }
}

/** The thread an event (invocation or completion) belongs to, in this context. */
export function eventThread(ctx: GenContext, process: ProcessId): Thread | undefined {
  if (process === NEMESIS) return ctx.threads.includes(NEMESIS) ? NEMESIS : undefined;
  return ctx.thread(process);
}
