/**
 * How many ops, how often, for how long: limit, repeat, cycle, timeLimit, untilOk.
 */
import type { ProcessId } from '../history/op.js';
import { DONE, type GenLike, nothing, opStep, pending, sequence, toGen } from './core.js';
import type { Generator } from './generator.js';

const NS_PER_SECOND = 1e9;

/** Seconds to nanoseconds; throws a RangeError for a negative or non-finite value. */
export function secondsToNs(seconds: number, what: string): number {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`${what} must be a non-negative number of seconds, got ${seconds}`);
  }
  return Math.round(seconds * NS_PER_SECOND);
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
}

/** At most `n` ops from `gen`, then done (or done earlier when `gen` is). */
export function limit(n: number, gen: GenLike): Generator {
  checkCount(n, 'limit');
  return limitFrom(n, toGen(gen));
}

function limitFrom(remaining: number, gen: Generator): Generator {
  return {
    op(ctx) {
      if (remaining <= 0) return DONE;
      const step = gen.op(ctx);
      if (step.kind === 'done') return DONE;
      if (step.kind === 'pending') return pending(limitFrom(remaining, step.next), step.wakeAt);
      return opStep(step.op, limitFrom(remaining - 1, step.next));
    },
    update(ctx, event) {
      return limitFrom(remaining, gen.update(ctx, event));
    },
  };
}

/**
 * `repeat(gen)`: emits the first op of `gen` over and over, forever (asking
 * the same generator each time, so a function template makes a fresh op each
 * time). `repeat(n, gen)`: n times. The inverse of `once`: repeat({ f: 'read' })
 * is an endless stream of reads. Done when `gen` itself is done.
 */
export function repeat(gen: GenLike): Generator;
export function repeat(n: number, gen: GenLike): Generator;
export function repeat(a: number | GenLike, b?: GenLike): Generator {
  if (typeof a === 'number') {
    checkCount(a, 'repeat count');
    if (b === undefined) throw new TypeError('repeat(n, gen) needs a generator');
    return repeatFrom(a, toGen(b));
  }
  return repeatFrom(Infinity, toGen(a));
}

function repeatFrom(remaining: number, gen: Generator): Generator {
  return {
    op(ctx) {
      if (remaining <= 0) return DONE;
      const step = gen.op(ctx);
      if (step.kind === 'done') return DONE;
      if (step.kind === 'pending') return pending(repeatFrom(remaining, step.next), step.wakeAt);
      // Keep `gen`, not step.next: the same first op again next time.
      return opStep(step.op, repeatFrom(remaining - 1, gen));
    },
    update(ctx, event) {
      return repeatFrom(remaining, gen.update(ctx, event));
    },
  };
}

/**
 * The sequence of `gens`, restarted from the beginning each time it is done,
 * forever. Done only if a fresh start is done at once (an empty cycle).
 */
export function cycle(...gens: GenLike[]): Generator {
  const start = sequence(...gens);
  return cycleFrom(start, start);
}

function cycleFrom(start: Generator, current: Generator): Generator {
  return {
    op(ctx) {
      let step = current.op(ctx);
      if (step.kind === 'done') {
        if (current === start) return DONE;
        step = start.op(ctx);
        if (step.kind === 'done') return DONE;
      }
      if (step.kind === 'pending') return pending(cycleFrom(start, step.next), step.wakeAt);
      return opStep(step.op, cycleFrom(start, step.next));
    },
    update(ctx, event) {
      return cycleFrom(start, current.update(ctx, event));
    },
  };
}

/**
 * Ops from `gen` for `seconds`, counted from the first time this generator is
 * asked for an op; done at the deadline (ops already running finish as usual).
 * When the next op `gen` offers would come at or after the deadline, it is
 * pending until the deadline rather than done: other threads may still get
 * ops before then (e.g. clients freed up while a nemesis waits out its interval).
 */
export function timeLimit(seconds: number, gen: GenLike): Generator {
  return timeLimitFrom(secondsToNs(seconds, 'timeLimit'), undefined, toGen(gen));
}

function timeLimitFrom(limitNs: number, cutoff: number | undefined, gen: Generator): Generator {
  return {
    op(ctx) {
      const deadline = cutoff ?? ctx.time + limitNs;
      if (ctx.time >= deadline) return DONE;
      const step = gen.op(ctx);
      if (step.kind === 'done') return DONE;
      if (step.kind === 'pending') {
        const wake = step.wakeAt === undefined ? deadline : Math.min(step.wakeAt, deadline);
        return pending(timeLimitFrom(limitNs, deadline, step.next), wake);
      }
      if (step.op.time >= deadline) return pending(timeLimitFrom(limitNs, deadline, gen), deadline);
      return opStep(step.op, timeLimitFrom(limitNs, deadline, step.next));
    },
    update(ctx, event) {
      return timeLimitFrom(limitNs, cutoff, gen.update(ctx, event));
    },
  };
}

/**
 * Ops from `gen` until one of them completes `ok` (Jepsen's until-ok), then
 * done; ops already running finish as usual. Also done when `gen` is. Useful
 * for "retry this final read until it works".
 */
export function untilOk(gen: GenLike): Generator {
  return untilOkFrom(toGen(gen), new Set());
}

/** @param mine processes running an op this generator emitted */
function untilOkFrom(gen: Generator, mine: ReadonlySet<ProcessId>): Generator {
  return {
    op(ctx) {
      const step = gen.op(ctx);
      if (step.kind === 'done') return DONE;
      if (step.kind === 'pending') return pending(untilOkFrom(step.next, mine), step.wakeAt);
      return opStep(step.op, untilOkFrom(step.next, new Set(mine).add(step.op.process)));
    },
    update(ctx, event) {
      const next = gen.update(ctx, event);
      if (event.type === 'invoke' || !mine.has(event.process)) return untilOkFrom(next, mine);
      if (event.type === 'ok') return nothing;
      const rest = new Set(mine);
      rest.delete(event.process);
      return untilOkFrom(next, rest);
    },
  };
}
