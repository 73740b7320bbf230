/**
 * Worker thread: searches a group of keys (see parallel.ts) and posts the
 * KeysOutcome. Runs as TypeScript through tsx (`execArgv: ['--import', 'tsx']`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelOptions } from '../models/model.js';
import { getModel } from '../models/registry.js';
import type { KeyOps } from './evidence.js';
import { searchKeys } from './interleave.js';

export interface WorkerInput {
  modelName: string;
  modelOptions: ModelOptions;
  keys: KeyOps[];
  /** Time left, in ms (Infinity for none). */
  timeLeftMs: number;
  timeoutMs: number | undefined;
  memoryLimitBytes: number;
}

const input = workerData as WorkerInput;
const model = getModel(input.modelName, input.modelOptions);
const outcome = await searchKeys(model, input.keys, {
  deadline: performance.now() + input.timeLeftMs,
  timeoutMs: input.timeoutMs,
  memoryLimitBytes: input.memoryLimitBytes,
});
parentPort!.postMessage(outcome);
