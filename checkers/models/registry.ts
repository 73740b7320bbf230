/**
 * The models by name. `faultline check --model NAME` and workloads look them up
 * here; a user adds one in TypeScript with `registerModel(name, factory)`.
 */
import { UserError } from '../../harness/history/errors.js';
import { kv } from './kv.js';
import type { Model, ModelFactory, ModelOptions } from './model.js';
import { multiRegister } from './multi-register.js';
import { mutex } from './mutex.js';
import { fifoQueue, unorderedQueue } from './queue.js';
import { casRegister, register } from './register.js';
import { set } from './set.js';

const builtins: [string, ModelFactory][] = [
  ['register', register],
  ['cas-register', casRegister],
  ['multi-register', multiRegister],
  ['mutex', mutex],
  ['set', set],
  ['fifo-queue', fifoQueue],
  ['unordered-queue', unorderedQueue],
  ['kv', kv],
];
const factories = new Map<string, ModelFactory>(builtins);

/** The known model names, sorted. */
export function modelNames(): string[] {
  return [...factories.keys()].sort();
}

/** Whether `name` is a model shipped with faultline (not added or replaced by registerModel): worker threads can rebuild it. */
export function isBuiltinModel(name: string): boolean {
  return builtins.some(([n, factory]) => n === name && factories.get(name) === factory);
}

/** Adds (or replaces) a model. */
export function registerModel(name: string, factory: ModelFactory): void {
  factories.set(name, factory);
}

/**
 * The model `name` built with `options`.
 * Throws UserError for an unknown name (listing the known ones) or options the
 * model rejects (e.g. an initial value of the wrong shape).
 */
export function getModel(name: string, options: ModelOptions = {}): Model<unknown> {
  const factory = factories.get(name);
  if (!factory)
    throw new UserError(`unknown model ${JSON.stringify(name)}; known models: ${modelNames().join(', ')}`, {
      where: '--model',
    });
  try {
    return factory(options) as Model<unknown>;
  } catch (err) {
    throw new UserError(err instanceof Error ? err.message : String(err), { where: '--initial', cause: err });
  }
}
