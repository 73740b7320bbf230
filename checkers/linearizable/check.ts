/**
 * checkLinearizable: pairs the history, splits it by independent key
 * (P-compositionality: a history is linearizable exactly when each key's
 * sub-history is), and searches the keys interleaved (interleave.ts), on
 * worker threads too when the history is big enough (parallel.ts).
 */
import { getHeapStatistics } from 'node:v8';
import { MalformedHistoryError, UserError } from '../../harness/history/errors.js';
import { canonicalJson } from '../../harness/history/json.js';
import type { History, Json } from '../../harness/history/op.js';
import { type PairedOp, pairHistory } from '../../harness/history/pair.js';
import type { Model } from '../models/model.js';
import { getModel, isBuiltinModel } from '../models/registry.js';
import type { KeyOps } from './evidence.js';
import { searchKeys } from './interleave.js';
import { searchKeysInParallel, workersPay } from './parallel.js';
import type { LinearizableResult } from './result.js';
import type { SearchOp } from './search.js';

export interface LinearizableOptions {
  /** A model name from the registry (checkers/models/registry.ts). */
  model: string;
  /** The model's initial state (each model documents its default). */
  initial?: Json | undefined;
  /** Give up with 'unknown' after this many ms. Default: no limit. */
  timeoutMs?: number | undefined;
  /** Give up with 'unknown' past roughly this many bytes of search memory. Default: half of V8's heap limit. */
  memoryLimitBytes?: number | undefined;
  /** Knossos semantics: an ok read of null matches any value. Default false. See ModelOptions. */
  nilReadsAnyValue?: boolean | undefined;
  /** Search keys on worker threads too: true always (when there are several keys), false never, undefined when it pays (parallel.ts). */
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
  const { timeoutMs, memoryLimitBytes } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs >= 0 && !Number.isNaN(timeoutMs))) {
    throw new UserError(`must be a number of milliseconds ≥ 0, got ${String(timeoutMs)}`, { where: 'timeoutMs' });
  }
  if (memoryLimitBytes !== undefined && !(typeof memoryLimitBytes === 'number' && memoryLimitBytes > 0)) {
    throw new UserError(`must be a number of bytes > 0, got ${String(memoryLimitBytes)}`, {
      where: 'memoryLimitBytes',
    });
  }
}

/**
 * Checks that `history` is linearizable under the model `options.model`.
 *
 * Returns valid true (every key linearizable), false (with the evidence of the
 * first invalid key found), or 'unknown' (time or memory budget exceeded: with
 * how far each undecided key got).
 * Throws MalformedHistoryError for a malformed history or an op the model does
 * not understand; UserError for an unknown model name, a bad initial value or
 * a bad budget.
 */
export async function checkLinearizable(history: History, options: LinearizableOptions): Promise<LinearizableResult> {
  const started = performance.now();
  validateBudget(options);
  const modelOptions = { initial: options.initial, nilReadsAnyValue: options.nilReadsAnyValue };
  const model = getModel(options.model, modelOptions);
  const paired = pairHistory(history);
  const keys = splitByKey(model, paired);
  const base = { model: model.name, keys: keys.length, opsChecked: paired.length };
  const budget = {
    deadline: started + (options.timeoutMs ?? Number.POSITIVE_INFINITY),
    timeoutMs: options.timeoutMs,
    memoryLimitBytes: options.memoryLimitBytes ?? getHeapStatistics().heap_size_limit / 2,
  };
  const outcome =
    (options.workers ?? workersPay(keys)) && keys.length > 1 && isBuiltinModel(options.model)
      ? await searchKeysInParallel(model, options.model, modelOptions, keys, budget)
      : await searchKeys(model, keys, budget);
  const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
  switch (outcome.kind) {
    case 'valid':
      return { kind: 'linearizable', valid: true, ...base, elapsedMs };
    case 'invalid':
      return {
        kind: 'linearizable',
        valid: false,
        ...base,
        elapsedMs,
        error: outcome.failure.explanation,
        failure: outcome.failure,
      };
    case 'unknown':
      return {
        kind: 'linearizable',
        valid: 'unknown',
        ...base,
        elapsedMs,
        error: outcome.error,
        furthest: outcome.furthest,
      };
    case 'cancelled':
      throw new Error('linearizability search cancelled with nobody to cancel it'); // cannot happen: no isCancelled given
  }
}
