/** What loading a target, workload or model plugin shares: telling plugins from built-ins, loading, views. */
import { UserError } from '../errors.js';
import { importPlugin, type LoadedModule } from './load.js';
import { isModulePath, isPackageName } from './spec.js';

/** Whether `spec` is loaded as a module (a path, or a package name that is not a built-in's). */
export function isPlugin(spec: string, builtins: readonly string[]): boolean {
  if (builtins.includes(spec)) return false;
  return isModulePath(spec) || isPackageName(spec);
}

/**
 * The plugin module `spec` names. When a bare name is neither a built-in nor
 * an installed package, throws the built-in registry's own "unknown" error
 * (`unknown`, naming the known names) with a word on plugins added.
 */
export async function loadPlugin(
  spec: string,
  kind: string,
  where: string,
  unknown: () => unknown,
  baseDir?: string,
): Promise<LoadedModule> {
  try {
    return await importPlugin(spec, where, baseDir);
  } catch (err) {
    if (!(err instanceof UserError) || isModulePath(spec) || !/no package/.test(err.message)) throw err;
    let message = `unknown ${kind} ${JSON.stringify(spec)}`;
    try {
      unknown();
    } catch (builtin) {
      if (builtin instanceof UserError && builtin.where !== undefined) {
        message = builtin.message.slice(builtin.where.length + 2);
      }
    }
    throw new UserError(
      `${message}; nor is it an installed package (a module file is named by its path, e.g. ./${kind}s/${spec}.ts)`,
      { where, cause: err },
    );
  }
}

/** Registers the module's `views` export, when it has one. */
export async function registerViews(loaded: LoadedModule, where: string): Promise<void> {
  const views = loaded.exports.views;
  if (views === undefined) return;
  const { registerView } = await import('../../checkers/views.js');
  if (!Array.isArray(views))
    throw new UserError(`${loaded.file}: its views export must be an array of ResultViews`, { where });
  for (const view of views) {
    if (typeof view?.kind !== 'string' || typeof view.summary !== 'function' || typeof view.sections !== 'function') {
      throw new UserError(`${loaded.file}: each of its views needs kind (a string), summary and sections (functions)`, {
        where,
      });
    }
    registerView(view);
  }
}
