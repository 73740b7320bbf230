/**
 * The building blocks every combinator uses: step constructors, op templates
 * (`{ f, value }` objects and functions that make them), coercion of
 * template-ish values into generators, and sequencing.
 *
 * Like Jepsen: a plain object `{ f, value }` is a generator that emits that op
 * once; a function `(ctx, rng) => template` is a generator that calls it for
 * every op (forever, until it returns undefined); an array is the sequence of
 * its elements.
 */
import type { Json } from '../history/op.js';
import { NEMESIS } from './context.js';
import type { GenContext, Generator, GenOp, GenStep, Rng, Thread } from './generator.js';

/** An op without its process or time: the generator picks a free thread. */
export interface OpTemplate {
  f: string;
  value?: Json;
  key?: Json;
}

/** Makes the next op template; undefined (or null) ends the generator. */
export type OpFn = (ctx: GenContext, rng: Rng) => OpTemplate | undefined | null;

/** Anything the combinators accept where a generator is expected. */
export type GenLike = Generator | OpTemplate | OpFn | readonly GenLike[];

export const DONE: GenStep = { kind: 'done' };

/** A pending step: nothing now; `wakeAt` (ns) when the answer can change without an event. */
export function pending(next: Generator, wakeAt?: number): GenStep {
  return wakeAt === undefined ? { kind: 'pending', next } : { kind: 'pending', next, wakeAt };
}

export function opStep(op: GenOp, next: Generator): GenStep {
  return { kind: 'op', op, next };
}

/** The earlier of two optional wake-up times (undefined means "no hint"). */
export function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

export function isGenerator(x: unknown): x is Generator {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Generator).op === 'function' &&
    typeof (x as Generator).update === 'function'
  );
}

/**
 * Coerces a GenLike into a Generator. Throws a TypeError for anything else
 * (a programming error in a workload or nemesis, caught by its tests).
 */
export function toGen(x: GenLike): Generator {
  if (isGenerator(x)) return x;
  if (typeof x === 'function') return fromFn(x);
  if (Array.isArray(x)) return sequence(...(x as readonly GenLike[]));
  if (typeof x === 'object' && x !== null && typeof (x as OpTemplate).f === 'string') return once(x as OpTemplate);
  throw new TypeError(`not a generator, op template {f, value} or function: ${safeDescribe(x)}`);
}

function safeDescribe(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/**
 * Turns a template into an op for a free thread of `ctx` (a random one, from
 * ctx.rng, so load spreads over processes). Returns undefined when no thread is
 * free. Ops for the nemesis thread are `info`, client ops `invoke`.
 */
export function fillOp(ctx: GenContext, template: OpTemplate): GenOp | undefined {
  const free = ctx.freeThreads;
  if (free.length === 0) return undefined;
  const thread: Thread = free.length === 1 ? free[0]! : free[ctx.rng.int(free.length)]!;
  const op: GenOp = {
    type: thread === NEMESIS ? 'info' : 'invoke',
    process: ctx.process(thread),
    time: ctx.time,
    f: template.f,
  };
  if (template.value !== undefined) op.value = template.value;
  if (template.key !== undefined) op.key = template.key;
  return op;
}

/** A generator that never emits anything. */
export const nothing: Generator = {
  op: () => DONE,
  update() {
    return this;
  },
};

/**
 * Emits `template` once, on the first free thread asked for (pending while
 * every thread is busy), then is done.
 */
export function once(template: OpTemplate): Generator {
  const gen: Generator = {
    op(ctx) {
      const op = fillOp(ctx, template);
      return op ? opStep(op, nothing) : pending(gen);
    },
    update: () => gen,
  };
  return gen;
}

/**
 * Calls `fn(ctx, rng)` for every op: an infinite generator unless `fn` returns
 * undefined or null, which ends it. `fn` is only called when a thread is free
 * (pending otherwise). Prefer drawing from `rng` over closure state: when an
 * op lies in the future (stagger, delay) and something else happens first,
 * the interpreter asks again and the first answer is dropped.
 */
export function fromFn(fn: OpFn): Generator {
  const gen: Generator = {
    op(ctx) {
      if (ctx.freeThreads.length === 0) return pending(gen);
      const template = fn(ctx, ctx.rng);
      if (template === undefined || template === null) return DONE;
      const op = fillOp(ctx, template);
      return op ? opStep(op, gen) : pending(gen);
    },
    update: () => gen,
  };
  return gen;
}

/**
 * The generators one after another: ops from the first until it is done, then
 * the second, ... Events go to the current one. No waiting between them: a
 * later generator may start while ops of an earlier one are still running
 * (use `phases` to wait).
 */
export function sequence(...gens: GenLike[]): Generator {
  return sequenceFrom(gens.map(toGen), 0);
}

/**
 * `a` then `b` (no waiting in between; see `phases`). Called `andThen`, not
 * `then`: a module exporting `then` is a thenable, and `await import()` of it
 * would call it and hang.
 */
export function andThen(a: GenLike, b: GenLike): Generator {
  return sequence(a, b);
}

function sequenceFrom(gens: readonly Generator[], start: number): Generator {
  return {
    op(ctx) {
      for (let i = start; i < gens.length; i++) {
        const step = gens[i]!.op(ctx);
        if (step.kind === 'done') continue;
        const rest = replaceAt(gens, i, step.next);
        if (step.kind === 'pending') return pending(sequenceFrom(rest, i), step.wakeAt);
        return opStep(step.op, sequenceFrom(rest, i));
      }
      return DONE;
    },
    update(ctx, event) {
      const current = gens[start];
      if (current === undefined) return this;
      return sequenceFrom(replaceAt(gens, start, current.update(ctx, event)), start);
    },
  };
}

/** A copy of `items` with position `i` replaced (generators are immutable values). */
export function replaceAt<T>(items: readonly T[], i: number, item: T): T[] {
  const copy = items.slice();
  copy[i] = item;
  return copy;
}
