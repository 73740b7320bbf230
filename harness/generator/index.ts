/**
 * The generator DSL: build the schedule of a test from small pure values.
 *
 *   import * as gen from '../harness/generator/index.js';
 *
 *   const reads  = (ctx, rng) => ({ f: 'read' });
 *   const writes = (ctx, rng) => ({ f: 'write', value: rng.int(5) });
 *   const client = gen.stagger(0.01, gen.mix(reads, writes));            // ~100 ops/s in all
 *   const faults = gen.cycle(gen.sleep(5), { f: 'start-partition' }, gen.sleep(5), { f: 'stop-partition' });
 *   const main   = gen.timeLimit(60, gen.any(gen.clients(client), gen.nemesis(faults)));
 *
 * Anything where a generator is expected may also be an op template
 * `{ f, value?, key? }` (emitted once, on a free thread), a function
 * `(ctx, rng) => template | undefined` (called for every op; undefined ends
 * it) or an array (a sequence). Template ops on the nemesis thread become
 * nemesis ops (type info, process "nemesis"); route with `clients`/`nemesis`.
 *
 * All randomness comes from ctx.rng: the same seed on the same clock gives
 * the same schedule. `simulate` runs a generator on a simulated clock for tests.
 *
 * Conventions: `done` is final (the interpreter never asks again); a pending
 * step may carry `wakeAt` (ns), the time its answer changes without an event;
 * an op whose time lies ahead may be dropped and asked for again if something
 * completes first, so keep state in generator values, not closures.
 * There is no `then` export (a module exporting `then` is a thenable and
 * hangs `await import()`): use `andThen(a, b)` or `sequence(...)`.
 */

export { any, flipFlop, mix } from './choice.js';
export { NEMESIS, restrictContext, singleThreadContext, ThreadTable } from './context.js';
export {
  andThen,
  DONE,
  fillOp,
  fromFn,
  type GenLike,
  isGenerator,
  nothing,
  type OpFn,
  type OpTemplate,
  once,
  opStep,
  pending,
  sequence,
  toGen,
} from './core.js';
export { completionOp, invocationOp } from './events.js';
export type { GenContext, Generator, GenOp, GenStep, Rng, Thread } from './generator.js';
export { type IndependentOptions, independentConcurrent } from './independent.js';
export { cycle, limit, repeat, timeLimit, untilOk } from './limits.js';
export { phases, synchronize } from './phases.js';
export { seededRng } from './rng.js';
export { type SimResponse, type SimulateOptions, type SimulationResult, simulate } from './simulate.js';
export { clients, eachThread, grouped, nemesis, onThreads, reserve } from './threads.js';
export { delay, sleep, stagger } from './timing.js';
