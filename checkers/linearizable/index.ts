/**
 * The linearizability checker's public API.
 *
 *   checkLinearizable(history, { model, initial?, timeoutMs?, memoryLimitBytes?, nilReadsAnyValue? })
 *   explainLinearizable(result)
 *   linearizableChecker(options)  // a Checker for workloads
 *
 * Models: checkers/models/registry.ts (getModel, modelNames, registerModel).
 */

export type { Model, ModelFactory, ModelOp, ModelOptions } from '../models/model.js';
export { ILLEGAL } from '../models/model.js';
export { getModel, modelNames, registerModel } from '../models/registry.js';
export { checkLinearizable, type LinearizableOptions } from './check.js';
export { linearizableChecker } from './checker.js';
export { explainLinearizable } from './explain.js';
export type * from './result.js';
