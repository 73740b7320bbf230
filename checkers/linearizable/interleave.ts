/**
 * Runs the searches of several keys interleaved: each key in turn gets a slice
 * of iterations, so an invalid key answers about as fast as its own search
 * even when other keys are hard. The first invalid key stops the rest. Between
 * slices it checks the deadline, the memory budget and cancellation, and now
 * and then lets the event loop run (worker messages, timers).
 */
import { getHeapStatistics } from 'node:v8';
import type { Model } from '../models/model.js';
import { type KeyOps, keyFailure, partialOf } from './evidence.js';
import type { KeyFailure, LinearizableResult } from './result.js';
import { KeySearch } from './search.js';

/** Iterations per key before moving on to the next key. */
const SLICE = 4096;
/** Give the event loop a turn at least this often (ms). */
const YIELD_EVERY_MS = 25;
/** Read the heap at most this often (ms). */
const HEAP_CHECK_EVERY_MS = 100;

export interface SearchBudget {
  /** Give up at this performance.now() (this thread's clock). */
  deadline: number;
  /** For the message: the timeout as given. */
  timeoutMs: number | undefined;
  memoryLimitBytes: number;
  /** Checked between slices: true stops the search with 'cancelled'. */
  isCancelled?: () => boolean;
}

export type Furthest = Extract<LinearizableResult, { valid: 'unknown' }>['furthest'];

export type KeysOutcome =
  | { kind: 'valid' }
  | { kind: 'invalid'; failure: KeyFailure }
  | { kind: 'unknown'; error: string; furthest: Furthest }
  | { kind: 'cancelled' };

const size = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;

/**
 * Searches every key. Returns valid (all keys linearizable), invalid (the
 * first key found not linearizable, with evidence), unknown (budget exceeded:
 * how far each undecided key got) or cancelled.
 */
export async function searchKeys(model: Model<unknown>, keys: KeyOps[], budget: SearchBudget): Promise<KeysOutcome> {
  const heapAtStart = getHeapStatistics().used_heap_size;
  // Smaller keys first: cheap answers come early.
  let active = keys
    .map((ops) => ({ ops, search: new KeySearch(model, ops.search) }))
    .sort((a, b) => a.ops.search.length - b.ops.search.length);
  let lastYield = performance.now();
  let lastHeapCheck = lastYield;

  while (active.length > 0) {
    const stillRunning: typeof active = [];
    for (const entry of active) {
      const status = entry.search.run(SLICE);
      if (status === 'invalid') return { kind: 'invalid', failure: keyFailure(model, entry.ops, entry.search) };
      if (status === 'running') stillRunning.push(entry);
    }
    active = stillRunning;
    if (active.length === 0) break;
    if (budget.isCancelled?.()) return { kind: 'cancelled' };

    const now = performance.now();
    let overBudget: string | undefined;
    if (now > budget.deadline) overBudget = `timed out after ${budget.timeoutMs} ms`;
    const estimate = active.reduce((sum, e) => sum + e.search.memoryEstimate(), 0);
    if (estimate > budget.memoryLimitBytes) {
      overBudget = `memory budget of ${size(budget.memoryLimitBytes)} exceeded (search cache ~${size(estimate)})`;
    }
    if (now - lastHeapCheck > HEAP_CHECK_EVERY_MS) {
      lastHeapCheck = now;
      const grown = getHeapStatistics().used_heap_size - heapAtStart;
      if (grown > budget.memoryLimitBytes) {
        overBudget = `memory budget of ${size(budget.memoryLimitBytes)} exceeded (heap grew by ${size(grown)})`;
      }
    }
    if (overBudget !== undefined) {
      return {
        kind: 'unknown',
        error: overBudget,
        furthest: active.map(({ ops, search }) => ({
          key: ops.key,
          linearized: search.maxDepth,
          of: ops.search.length,
          partial: partialOf(model, ops, search.deepest, search.initialState),
        })),
      };
    }
    if (now - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  return { kind: 'valid' };
}
