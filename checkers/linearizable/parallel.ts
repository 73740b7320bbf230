/**
 * Runs groups of keys on worker threads, one group in this thread, when a
 * history is big enough for that to pay (worker start-up under tsx costs a few
 * hundred ms; measured in bench/checker.ts). The first invalid group stops the
 * others. A worker that fails to start or crashes has its group searched in
 * this thread instead.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Model, ModelOptions } from '../models/model.js';
import type { KeyOps } from './evidence.js';
import { type KeysOutcome, type SearchBudget, searchKeys } from './interleave.js';
import type { WorkerInput } from './worker.js';

/**
 * Below this many ops in all, one thread is as fast or faster. Measured on the
 * 2-core reference machine (bench/checker.ts, set 3): a worker takes ~230 ms
 * to start under tsx, and the 100,000-op 10-key kv history checks in about
 * 0.65 s on one thread and 0.8 s with a worker; so workers start only for
 * histories well beyond that.
 */
export const WORKER_MIN_OPS = 250_000;

/** Whether to use workers for these keys: enough ops, several keys, several cores. */
export function workersPay(keys: KeyOps[]): boolean {
  const ops = keys.reduce((sum, k) => sum + k.search.length, 0);
  return ops >= WORKER_MIN_OPS && keys.length >= 2 && availableParallelism() >= 2;
}

/** Splits keys into `n` groups of about equal op counts (largest first, into the lightest group). */
export function balance(keys: KeyOps[], n: number): KeyOps[][] {
  const groups = Array.from({ length: n }, () => ({ ops: 0, keys: [] as KeyOps[] }));
  for (const key of [...keys].sort((a, b) => b.search.length - a.search.length)) {
    const lightest = groups.reduce((min, g) => (g.ops < min.ops ? g : min));
    lightest.keys.push(key);
    lightest.ops += key.search.length;
  }
  return groups.filter((g) => g.keys.length > 0).map((g) => g.keys);
}

/** Starts a worker searching `input.keys`. `outcome` resolves to its KeysOutcome, or the Error when it failed or exited first. */
export function runInWorker(input: WorkerInput): { outcome: Promise<KeysOutcome | Error>; stop: () => void } {
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: input });
  const outcome = new Promise<KeysOutcome | Error>((resolve) => {
    worker.once('message', (message: KeysOutcome) => resolve(message));
    worker.once('error', (err) => resolve(err));
    worker.once('exit', (code) => resolve(new Error(`worker exited with code ${code}`)));
  });
  return { outcome, stop: () => void worker.terminate() };
}

/**
 * Searches the keys on up to availableParallelism() threads.
 * Returns invalid as soon as any group is invalid; else unknown if any group
 * ran out of budget (furthest of all such groups); else valid.
 */
export async function searchKeysInParallel(
  model: Model<unknown>,
  modelName: string,
  modelOptions: ModelOptions,
  keys: KeyOps[],
  budget: SearchBudget,
): Promise<KeysOutcome> {
  const groups = balance(keys, Math.min(availableParallelism(), keys.length));
  let invalid: KeysOutcome | undefined;
  const timeLeftMs = (): number => Math.max(0, budget.deadline - performance.now());
  const memoryShare = budget.memoryLimitBytes / groups.length;
  const workers = groups.slice(1).map((group) =>
    runInWorker({
      modelName,
      modelOptions,
      keys: group,
      timeLeftMs: timeLeftMs(),
      timeoutMs: budget.timeoutMs,
      memoryLimitBytes: memoryShare,
    }),
  );
  const stopAll = (): void => {
    for (const w of workers) w.stop();
  };
  const local = { ...budget, memoryLimitBytes: memoryShare, isCancelled: () => invalid !== undefined };

  const settle = async (outcome: KeysOutcome | Error, group: KeyOps[]): Promise<KeysOutcome> => {
    const result = outcome instanceof Error ? await searchKeys(model, group, local) : outcome;
    if (result.kind === 'invalid' && invalid === undefined) {
      invalid = result;
      stopAll();
    }
    return result;
  };
  const outcomes = await Promise.all([
    searchKeys(model, groups[0]!, local).then((o) => settle(o, groups[0]!)),
    ...workers.map((w, i) =>
      w.outcome.then((o) => (invalid ? ({ kind: 'cancelled' } as const) : settle(o, groups[i + 1]!))),
    ),
  ]);
  stopAll();
  if (invalid) return invalid;
  const unknown = outcomes.filter((o) => o.kind === 'unknown');
  if (unknown.length > 0) {
    return { kind: 'unknown', error: unknown[0]!.error, furthest: unknown.flatMap((o) => o.furthest) };
  }
  return { kind: 'valid' };
}
