/**
 * checkLinearizable: pairs the history, splits it by independent key
 * (P-compositionality: a history is linearizable exactly when each key's
 * sub-history is), decides the keys whose values are unique at once
 * (unique-key.ts), and searches the others interleaved (interleave.ts), on
 * the pool's threads too when several are hard (pooled.ts).
 */
import { MalformedHistoryError, UserError } from '../../harness/history/errors.js';
import { canonicalJson } from '../../harness/history/json.js';
import type { History, Json } from '../../harness/history/op.js';
import { type PairedOp, pairHistory } from '../../harness/history/pair.js';
import { Budget } from '../budget.js';
import type { CheckOptions } from '../checker.js';
import type { Model } from '../models/model.js';
import { getModel, isBuiltinModel } from '../models/registry.js';
import type { KeyOps } from './evidence.js';
import { type KeysOutcome, searchKeys } from './interleave.js';
import { searchKeysPooled } from './pooled.js';
import type { LinearizableResult } from './result.js';
import type { SearchOp } from './search.js';
import { decideKeyByUniqueValues } from './unique-key.js';

export interface LinearizableOptions extends CheckOptions {
  /** A model name from the registry (checkers/models/registry.ts). */
  model: string;
  /** The model's initial state (each model documents its default). */
  initial?: Json | undefined;
  /** Knossos semantics: an ok read of null matches any value. Default false. See ModelOptions. */
  nilReadsAnyValue?: boolean | undefined;
  /**
   * Decide keys whose values are unique without searching (unique-values.ts),
   * when the model can (register, cas-register, kv). Default true; false
   * searches every key (for comparisons).
   */
  fastPath?: boolean | undefined;
  /** Most memo entries and distinct states in one key's search. Default (and cap): the engine's limits. */
  maxTableEntries?: number | undefined;
  /**
   * With a pool (CheckOptions.pool): hand keys to it as soon as two are left
   * to search (true), never (false), or when several turn out hard (undefined).
   */
  workers?: boolean | undefined;
}

/** Splits the paired ops by independent key; drops ops the model says are no-ops. Throws MalformedHistoryError for ops the model rejects. */
export function splitByKey(model: Model<unknown>, paired: PairedOp[]): KeyOps[] {
  const byKey = new Map<string, KeyOps>();
  for (const op of paired) {
    try {
      model.validate?.(op);
    } catch (err) {
      throw new MalformedHistoryError(err instanceof Error ? err.message : String(err), op.invokeIndex, { cause: err });
    }
    const key = model.partition ? model.partition(op) : op.key;
    const seen = model.project ? model.project(op) : op;
    if (model.isNoop?.(seen)) continue;
    const name = key === undefined ? '' : canonicalJson(key);
    let group = byKey.get(name);
    if (!group) {
      group = { key, search: [], paired: [] };
      byKey.set(name, group);
    }
    group.search.push({
      f: seen.f,
      value: seen.value,
      outcome: seen.outcome,
      invokeIndex: op.invokeIndex,
      completeIndex: op.completeIndex,
    } satisfies SearchOp);
    group.paired.push(op);
  }
  return [...byKey.values()];
}

/** Throws UserError naming the option when a budget is not a positive number. */
function validateBudget(options: LinearizableOptions): void {
  const { timeoutMs, memoryLimitBytes, maxTableEntries } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && !Number.isNaN(timeoutMs))) {
    throw new UserError(`must be a number of milliseconds ≥ 0, got ${String(timeoutMs)}`, { where: 'timeoutMs' });
  }
  if (memoryLimitBytes !== undefined && !(typeof memoryLimitBytes === 'number' && memoryLimitBytes > 0)) {
    throw new UserError(`must be a number of bytes > 0, got ${String(memoryLimitBytes)}`, {
      where: 'memoryLimitBytes',
    });
  }
  if (maxTableEntries !== undefined && !(Number.isInteger(maxTableEntries) && maxTableEntries > 0)) {
    throw new UserError(`must be a whole number > 0, got ${String(maxTableEntries)}`, { where: 'maxTableEntries' });
  }
}

/**
 * Checks that `history` is linearizable under the model `options.model`,
 * key by key: keys with unique values by the fast path, the others by search
 * (some on the pool's threads when several are hard and a pool is given).
 *
 * Returns valid true (every key linearizable), false (with the evidence of the
 * first invalid key found), or 'unknown' (time or memory budget exceeded, the
 * search's table full, or `signal` aborted: with how far each undecided key got).
 * Throws MalformedHistoryError for a malformed history or an op the model does
 * not understand; UserError for an unknown model name, a bad initial value or
 * a bad budget.
 */
export async function checkLinearizable(history: History, options: LinearizableOptions): Promise<LinearizableResult> {
  validateBudget(options);
  const budget = new Budget(options);
  const modelOptions = { initial: options.initial, nilReadsAnyValue: options.nilReadsAnyValue };
  const model = getModel(options.model, modelOptions);
  const paired = pairHistory(history);
  const keys = splitByKey(model, paired);
  const toSearch: KeyOps[] = [];
  let byUniqueValues = 0;
  let outcome: KeysOutcome | undefined;
  for (const key of keys) {
    const fast = options.fastPath === false ? undefined : decideKeyByUniqueValues(model, key);
    if (fast?.kind === 'invalid') {
      outcome = { kind: 'invalid', failure: fast.failure };
      break;
    }
    if (fast?.kind === 'valid') byUniqueValues++;
    else toSearch.push(key);
  }
  const { pool } = options;
  if (outcome === undefined && toSearch.length > 0) {
    outcome =
      pool !== undefined && pool.size > 0 && options.workers !== false && isBuiltinModel(options.model)
        ? await searchKeysPooled(model, toSearch, budget, {
            pool,
            modelName: options.model,
            modelOptions,
            timeoutMs: options.timeoutMs,
            maxTableEntries: options.maxTableEntries,
            eager: options.workers === true,
            signal: options.signal,
          })
        : await searchKeys(model, toSearch, budget, { maxTableEntries: options.maxTableEntries });
  }
  const base = {
    model: model.name,
    keys: keys.length,
    opsChecked: paired.length,
    elapsedMs: Math.round(budget.elapsedMs() * 10) / 10,
    keysByUniqueValues: byUniqueValues,
  };
  outcome ??= { kind: 'valid' };
  switch (outcome.kind) {
    case 'valid':
      return { kind: 'linearizable', valid: true, ...base };
    case 'invalid':
      return {
        kind: 'linearizable',
        valid: false,
        ...base,
        error: outcome.failure.explanation,
        failure: outcome.failure,
      };
    case 'unknown':
      return { kind: 'linearizable', valid: 'unknown', ...base, error: outcome.error, furthest: outcome.furthest };
  }
}
