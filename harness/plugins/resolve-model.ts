import type { ModelFactory } from '../../checkers/models/model.js';
import { getModel, modelNames, registerModel } from '../../checkers/models/registry.js';
import { isPlugin, loadPlugin, registerViews } from './common.js';
import { checkShape, exportOf } from './shapes.js';

/**
 * Makes the model `spec` names known to the model registry, and returns
 * the name to ask the registry for: a built-in's name as it is; for a module
 * or package, the spec itself, under which its model is registered. A model
 * module exports a ModelFactory (options -> Model) or a Model; each model it
 * makes is checked for the members a Model has. Throws UserError naming --model.
 */
export async function resolveModel(spec: string, baseDir?: string): Promise<string> {
  if (!isPlugin(spec, modelNames())) return spec;
  const loaded = await loadPlugin(spec, 'model', '--model', () => getModel(spec), baseDir);
  const exported = exportOf(loaded, 'model', '--model');
  const check = (model: unknown) => checkShape<ReturnType<ModelFactory>>(model, 'model', loaded.file, '--model');
  const factory: ModelFactory =
    typeof exported === 'function' ? (options) => check((exported as ModelFactory)(options)) : () => check(exported);
  // Judged now, before any file is read: a Model value, or what the factory makes with no options
  // (a factory that needs options, e.g. an initial value, is judged when it gets them).
  let made: unknown = exported;
  if (typeof exported === 'function') {
    try {
      made = (exported as ModelFactory)({});
    } catch {
      made = undefined;
    }
  }
  if (made !== undefined) check(made);
  registerModel(spec, factory);
  await registerViews(loaded, '--model');
  return spec;
}
