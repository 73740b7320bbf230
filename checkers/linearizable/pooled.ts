/**
 * Searching keys with a TaskPool (CheckOptions.pool): this thread searches
 * all keys interleaved; when several keys turn out hard (still undecided
 * after HAND_OVER_AFTER_MS), it keeps one group and hands the others to the
 * pool, which searches them from scratch on other threads. The first invalid
 * key stops everyone. A task that fails (its thread could not start, ...) has
 * its keys searched here instead.
 */
import type { Budget } from '../budget.js';
import type { TaskPool } from '../checker.js';
import type { Model, ModelOptions } from '../models/model.js';
import type { KeyOps } from './evidence.js';
import { type KeysOutcome, searchKeys } from './interleave.js';
import { balance, KEYS_TASK, type KeysTask, mergeKeysOutcomes } from './key-task.js';

/**
 * Keys still undecided after this much search are hard: worth another thread.
 * Starting a worker costs ~200 ms under tsx (less compiled, and once per
 * pool); bench/checker.ts measures where handing over pays.
 */
export const HAND_OVER_AFTER_MS = 100;

export interface PooledOptions {
  pool: TaskPool;
  /** The model as a worker rebuilds it. */
  modelName: string;
  modelOptions: ModelOptions;
  timeoutMs: number | undefined;
  maxTableEntries: number | undefined;
  /** Hand over at the first chance rather than when keys turn out hard. */
  eager: boolean;
  signal: AbortSignal | undefined;
}

/** The outcome of keys whose search was stopped before it began. */
const stopped = (keys: KeyOps[]): KeysOutcome => ({
  kind: 'unknown',
  error: 'stopped before it finished',
  furthest: keys.map((k) => ({ key: k.key, linearized: 0, of: k.search.length })),
});

/** Like searchKeys, with the hard keys shared with the pool. Returns the merged outcome. */
export async function searchKeysPooled(
  model: Model<unknown>,
  keys: KeyOps[],
  budget: Budget,
  options: PooledOptions,
): Promise<KeysOutcome> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([stop.signal, options.signal]) : stop.signal;
  const tasks: Promise<KeysOutcome>[] = [];
  let invalid: KeysOutcome | undefined;
  const settle = (outcome: KeysOutcome): KeysOutcome => {
    if (outcome.kind === 'invalid' && invalid === undefined) {
      invalid = outcome;
      stop.abort();
    }
    return outcome;
  };
  const groups = options.pool.size + 1;
  const handOver = (undecided: KeyOps[], elapsedMs: number): KeyOps[] => {
    if (tasks.length > 0 || undecided.length < 2 || (!options.eager && elapsedMs < HAND_OVER_AFTER_MS)) return [];
    const [, ...given] = balance(undecided, Math.min(groups, undecided.length));
    const memoryShare = budget.memoryLimitBytes / groups;
    for (const group of given) {
      const timeLeftMs = options.timeoutMs === undefined ? undefined : Math.max(0, options.timeoutMs - elapsedMs);
      const task: KeysTask = {
        model: options.modelName,
        modelOptions: options.modelOptions,
        keys: group,
        timeoutMs: options.timeoutMs,
        timeLeftMs,
        memoryLimitBytes: memoryShare,
        maxTableEntries: options.maxTableEntries,
      };
      const run = options.pool.run(KEYS_TASK, task, signal) as Promise<KeysOutcome>;
      tasks.push(run.then(settle, async () => (signal.aborted ? stopped(group) : settle(await searchHere(group)))));
    }
    return given.flat();
  };
  const isStopped = (): boolean => stop.signal.aborted;
  const searchHere = (group: KeyOps[]): Promise<KeysOutcome> =>
    searchKeys(model, group, budget, { maxTableEntries: options.maxTableEntries, isStopped });

  const here = settle(
    await searchKeys(model, keys, budget, { maxTableEntries: options.maxTableEntries, handOver, isStopped }),
  );
  if (here.kind === 'invalid') return here;
  const there = await Promise.all(tasks);
  // An aborted task says nothing about its keys; the invalid outcome that aborted it does.
  return invalid ?? mergeKeysOutcomes([here, ...there]);
}
