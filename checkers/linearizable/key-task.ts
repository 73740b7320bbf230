/**
 * What a worker thread needs to search keys: a pure task on plain data
 * (`searchKeysTask`, run by the harness's pool, harness/check-pool) and the
 * merge of several searches' outcomes. No threads here: the pool owns them.
 */
import { Budget } from '../budget.js';
import type { CheckOptions } from '../checker.js';
import type { ModelOptions } from '../models/model.js';
import { getModel } from '../models/registry.js';
import type { KeyOps } from './evidence.js';
import { type KeysOutcome, searchKeys } from './interleave.js';

/** The input of searchKeysTask: structured-cloneable. */
export interface KeysTask {
  /** A built-in model (the worker rebuilds it by name; see isBuiltinModel). */
  model: string;
  modelOptions: ModelOptions;
  keys: KeyOps[];
  /** The check's whole timeout (for the message) and what is left of it now (undefined: none). */
  timeoutMs: number | undefined;
  timeLeftMs: number | undefined;
  memoryLimitBytes: number;
  maxTableEntries: number | undefined;
}

/** This module and its task function, for TaskPool.run. */
export const KEYS_TASK = {
  module: new URL(`./key-task${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href,
  name: 'searchKeysTask',
};

/**
 * Searches `task.keys` under the task's budget, on the clock and heap of
 * the thread it runs on, stopping when `options.signal` aborts.
 * Returns valid, invalid (with evidence) or unknown (with how far each key got).
 */
export async function searchKeysTask(task: KeysTask, options: CheckOptions = {}): Promise<KeysOutcome> {
  const model = getModel(task.model, task.modelOptions);
  const budget = new Budget({ ...options, timeoutMs: task.timeLeftMs, memoryLimitBytes: task.memoryLimitBytes });
  const outcome = await searchKeys(model, task.keys, budget, { maxTableEntries: task.maxTableEntries });
  // The budget here only had what was left: the message names the whole timeout.
  if (outcome.kind === 'unknown' && task.timeoutMs !== undefined && outcome.error.startsWith('timed out')) {
    return { ...outcome, error: `timed out after ${task.timeoutMs} ms` };
  }
  return outcome;
}

/** One outcome from several searches of disjoint keys: invalid beats unknown beats valid (furthest of all undecided). */
export function mergeKeysOutcomes(outcomes: readonly KeysOutcome[]): KeysOutcome {
  const invalid = outcomes.find((o) => o.kind === 'invalid');
  if (invalid) return invalid;
  const unknown = outcomes.filter((o) => o.kind === 'unknown');
  if (unknown.length > 0) {
    return { kind: 'unknown', error: unknown[0]!.error, furthest: unknown.flatMap((o) => o.furthest) };
  }
  return { kind: 'valid' };
}

/** Splits keys into `n` groups of about equal op counts (largest first, into the lightest group). */
export function balance(keys: readonly KeyOps[], n: number): KeyOps[][] {
  const groups = Array.from({ length: n }, () => ({ ops: 0, keys: [] as KeyOps[] }));
  for (const key of [...keys].sort((a, b) => b.search.length - a.search.length)) {
    const lightest = groups.reduce((min, g) => (g.ops < min.ops ? g : min));
    lightest.keys.push(key);
    lightest.ops += key.search.length;
  }
  return groups.filter((g) => g.keys.length > 0).map((g) => g.keys);
}
