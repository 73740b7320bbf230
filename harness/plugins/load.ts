/**
 * Imports a plugin module: a file by path (TypeScript too, through tsx, with
 * no build step on the user's side) or a package by name, looked up from the
 * working directory. Every failure is a UserError naming the option and the
 * file (exit 254), never a stack trace: a missing file, a package that is not
 * installed, a syntax error, an import that throws.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../errors.js';
import { resolvePackage } from './resolve-package.js';
import { isModulePath } from './spec.js';

/** A loaded plugin module: its namespace and the file it came from (for messages). */
export interface LoadedModule {
  file: string;
  exports: Record<string, unknown>;
}

/** Set by bin/faultline.js when it runs the sources: tsx is registered already. */
const TSX_REGISTERED = Symbol.for('faultline.tsx-registered');

let tsxReady: Promise<void> | undefined;

/**
 * Registers tsx once per process, so that .ts plugins import like .js ones:
 * its ESM hooks (unless bin/faultline.js did already) and its CommonJS ones
 * (a .ts file outside a `"type": "module"` package is CommonJS).
 */
function registerTsx(): Promise<void> {
  tsxReady ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    cjs.register();
    if (!(globalThis as Record<symbol, unknown>)[TSX_REGISTERED]) {
      esm.register();
      (globalThis as Record<symbol, unknown>)[TSX_REGISTERED] = true;
    }
  })();
  return tsxReady;
}

/**
 * The module's exports as its author wrote them: a CommonJS module (a .ts
 * file compiled to CommonJS) arrives as { default: module.exports }.
 */
function authoredExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace.default as Record<string, unknown> | null | undefined;
  const commonJs = typeof inner === 'object' && inner !== null && inner.__esModule === true;
  return commonJs ? inner : namespace;
}

/**
 * The file a spec stands for: a path resolved against `baseDir`, or a
 * package's entry. Throws UserError when there is no such file or package.
 */
export function pluginFile(spec: string, baseDir: string, where: string): string {
  if (!isModulePath(spec)) {
    const file = resolvePackage(spec, baseDir, where);
    if (file === undefined)
      throw new UserError(`no package ${JSON.stringify(spec)} is installed in ${baseDir} or above`, { where });
    return file;
  }
  const file = path.resolve(baseDir, spec);
  if (!existsSync(file)) throw new UserError(`no such module file: ${file}`, { where });
  if (statSync(file).isDirectory()) {
    throw new UserError(`${file} is a folder; name the module file in it (e.g. ${path.join(spec, 'index.ts')})`, {
      where,
    });
  }
  return file;
}

/**
 * Imports the module `spec` names. `where` is the option it came from
 * (`--target`), `baseDir` what relative paths and packages are found from.
 * Throws UserError for anything that keeps it from loading.
 */
export async function importPlugin(
  spec: string,
  where: string,
  baseDir: string = process.cwd(),
): Promise<LoadedModule> {
  const file = pluginFile(spec, baseDir, where);
  await registerTsx();
  try {
    const namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return { file, exports: authoredExports(namespace) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UserError(`cannot load ${file}: ${message.split('\n').slice(0, 6).join('\n')}`, { where, cause: err });
  }
}
