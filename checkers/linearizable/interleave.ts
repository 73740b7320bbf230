/**
 * Runs the searches of several keys interleaved: each key in turn gets a slice
 * of iterations, so an invalid key answers about as fast as its own search
 * even when other keys are hard. The first invalid key stops the rest.
 * Between slices it asks the budget (time on the injected clock, memory,
 * the AbortSignal) and now and then lets the event loop run (timers, worker
 * messages, an abort).
 */
import type { Budget } from '../budget.js';
import type { Model } from '../models/model.js';
import { type KeyOps, partialOf, searchFailure } from './evidence.js';
import type { KeyFailure, LinearizableResult } from './result.js';
import { KeySearch } from './search.js';

/** Iterations per key before moving on to the next key. */
const SLICE = 4096;
/** Give the event loop a turn at least this often (ms). */
const YIELD_EVERY_MS = 25;

export type Furthest = Extract<LinearizableResult, { valid: 'unknown' }>['furthest'];

/** What searching a set of keys came to. Plain data: it crosses to and from worker threads. */
export type KeysOutcome =
  | { kind: 'valid' }
  | { kind: 'invalid'; failure: KeyFailure }
  | { kind: 'unknown'; error: string; furthest: Furthest };

const size = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;

export interface SearchKeysOptions {
  /** Most memo entries and distinct states per key (KeySearch). */
  maxTableEntries?: number | undefined;
  /**
   * Called between rounds with the keys still undecided and the time spent;
   * returning some of them hands them over (the caller searches them
   * elsewhere, e.g. on a worker thread): they leave this search.
   */
  handOver?: ((undecided: KeyOps[], elapsedMs: number) => KeyOps[]) | undefined;
  /** Checked between rounds: true ends the search with unknown (another thread found an invalid key). */
  isStopped?: (() => boolean) | undefined;
}

/**
 * Searches every key. Returns valid (all keys linearizable, apart from any
 * handed over), invalid (the first key found not linearizable, with
 * evidence) or unknown (budget exceeded, aborted, or a table full: how far
 * each undecided key got).
 */
export async function searchKeys(
  model: Model<unknown>,
  keys: KeyOps[],
  budget: Budget,
  options: SearchKeysOptions = {},
): Promise<KeysOutcome> {
  // Smaller keys first: cheap answers come early.
  let active = keys
    .map((ops) => ({ ops, search: new KeySearch(model, ops.search, options.maxTableEntries) }))
    .sort((a, b) => a.ops.search.length - b.ops.search.length);
  let lastYield = budget.elapsedMs();
  const furthest = (entries: typeof active): Furthest =>
    entries.map(({ ops, search }) => ({
      key: ops.key,
      linearized: search.maxDepth,
      of: ops.search.length,
      partial: partialOf(model, ops, KeySearch.opsOf(search.deepest), search.initialState),
    }));

  /** Keys whose table filled up: undecided for good, while the others go on (one may still be invalid). */
  const full: typeof active = [];
  while (active.length > 0) {
    const stillRunning: typeof active = [];
    for (const entry of active) {
      const status = entry.search.run(SLICE);
      if (status === 'invalid') return { kind: 'invalid', failure: searchFailure(model, entry.ops, entry.search) };
      if (status === 'full') full.push(entry);
      if (status === 'running') stillRunning.push(entry);
    }
    active = stillRunning;
    if (active.length === 0) break;

    const estimate = active.reduce((sum, e) => sum + e.search.memoryEstimate(), 0);
    const overBudget =
      budget.exceeded() ??
      (options.isStopped?.() ? 'stopped before it finished' : undefined) ??
      (estimate > budget.memoryLimitBytes
        ? `memory budget of ${size(budget.memoryLimitBytes)} exceeded (search tables ~${size(estimate)})`
        : undefined);
    if (overBudget !== undefined)
      return { kind: 'unknown', error: overBudget, furthest: furthest([...full, ...active]) };

    const elapsed = budget.elapsedMs();
    if (options.handOver) {
      const given = new Set(
        options.handOver(
          active.map((e) => e.ops),
          elapsed,
        ),
      );
      if (given.size > 0) active = active.filter((e) => !given.has(e.ops));
    }
    if (elapsed - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = budget.elapsedMs();
    }
  }
  if (full.length > 0) {
    const limit = full[0]!.search.tableLimit.toLocaleString('en-US');
    return {
      kind: 'unknown',
      error: `the search's table reached its maximum size (${limit} entries)`,
      furthest: furthest(full),
    };
  }
  return { kind: 'valid' };
}
