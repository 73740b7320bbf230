/**
 * checkLinearizable: pairs the history, splits it by independent key
 * (P-compositionality: a history is linearizable exactly when each key's
 * sub-history is), and runs one resumable search per key, interleaved in
 * slices so that an invalid key answers about as fast as its own search even
 * when other keys are hard. The first invalid key cancels the rest. Between
 * slices it checks the deadline and the memory budget.
 */
import { getHeapStatistics } from 'node:v8';
import { MalformedHistoryError } from '../../harness/errors.js';
import type { History, Json } from '../../harness/history/op.js';
import { pairHistory, type PairedOp } from '../../harness/history/pair.js';
import { canonicalJson } from '../models/json.js';
import type { Model } from '../models/model.js';
import { getModel } from '../models/registry.js';
import { keyFailure, partialOf, type KeyOps } from './evidence.js';
import type { LinearizableResult } from './result.js';
import { KeySearch, type SearchOp } from './search.js';

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
}

/** Iterations per key before moving on to the next key. */
const SLICE = 4096;
/** Give the event loop a turn at least this often (ms). */
const YIELD_EVERY_MS = 25;
/** Read the process's heap at most this often (ms). */
const HEAP_CHECK_EVERY_MS = 100;

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

const gib = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;

/**
 * Checks that `history` is linearizable under the model `options.model`.
 *
 * Returns valid true (every key linearizable), false (with the evidence of the
 * first invalid key found), or 'unknown' (time or memory budget exceeded: with
 * how far each undecided key got).
 * Throws MalformedHistoryError for a malformed history or an op the model does
 * not understand; UserError for an unknown model name or a bad initial value.
 */
export async function checkLinearizable(history: History, options: LinearizableOptions): Promise<LinearizableResult> {
  const started = performance.now();
  const model = getModel(options.model, { initial: options.initial, nilReadsAnyValue: options.nilReadsAnyValue });
  const paired = pairHistory(history);
  const keys = splitByKey(model, paired);
  const deadline = started + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
  const memoryLimit = options.memoryLimitBytes ?? getHeapStatistics().heap_size_limit / 2;
  const heapAtStart = process.memoryUsage().heapUsed;
  const base = { model: model.name, keys: keys.length, opsChecked: paired.length };
  const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;

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
      if (status === 'invalid') {
        return { valid: false, ...base, elapsedMs: elapsed(), failure: keyFailure(model, entry.ops, entry.search) };
      }
      if (status === 'running') stillRunning.push(entry);
    }
    active = stillRunning;
    if (active.length === 0) break;

    const now = performance.now();
    let overBudget: string | undefined;
    if (now > deadline) overBudget = `timed out after ${options.timeoutMs} ms`;
    const estimate = active.reduce((sum, e) => sum + e.search.memoryEstimate(), 0);
    if (estimate > memoryLimit) overBudget = `memory budget of ${gib(memoryLimit)} exceeded (search cache ~${gib(estimate)})`;
    if (now - lastHeapCheck > HEAP_CHECK_EVERY_MS) {
      lastHeapCheck = now;
      const grown = process.memoryUsage().heapUsed - heapAtStart;
      if (grown > memoryLimit) overBudget = `memory budget of ${gib(memoryLimit)} exceeded (heap grew by ${gib(grown)})`;
    }
    if (overBudget !== undefined) {
      return {
        valid: 'unknown',
        ...base,
        elapsedMs: elapsed(),
        error: overBudget,
        furthest: active.map(({ ops, search }) => ({
          key: ops.key,
          linearized: search.maxDepth,
          of: ops.search.length,
          partial: partialOf(model, ops, search.deepest),
        })),
      };
    }
    if (now - lastYield > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
  }
  return { valid: true, ...base, elapsedMs: elapsed() };
}
