/**
 * What `--target`, `--workload` and `--model` (and the config's test.target
 * and test.workload) name: a built-in by name, a module file by path, or an
 * npm package by name.
 *
 *   etcd                      a built-in name (always wins)
 *   ./targets/mydb.ts         a path: starts with ./ ../ / or ~/, or ends in
 *   targets/mydb.mjs          .ts .mts .cts .js .mjs .cjs
 *   faultline-target-redis    anything else: a package (and @scope/name, name/subpath)
 */
import os from 'node:os';
import path from 'node:path';

const MODULE_EXTENSIONS = /\.(ts|mts|cts|js|mjs|cjs)$/;

/** True when `spec` names a module file (see the module comment). */
export function isModulePath(spec: string): boolean {
  return /^(\.\.?|~)?\//.test(spec) || spec === '.' || spec === '..' || MODULE_EXTENSIONS.test(spec);
}

/** True when `spec` could be an npm package name (optionally with a subpath): `name`, `@scope/name`, `name/sub`. */
export function isPackageName(spec: string): boolean {
  return /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/i.test(spec) && !isModulePath(spec);
}

/**
 * The spec with a module path made absolute against `baseDir` (the config
 * file's folder for the config, the working directory for flags); built-in
 * and package names are returned as they are.
 */
export function absoluteSpec(spec: string, baseDir: string): string {
  if (!isModulePath(spec)) return spec;
  if (spec === '~' || spec.startsWith('~/')) return path.join(os.homedir(), spec.slice(1));
  return path.resolve(baseDir, spec);
}

/**
 * A short name for a spec, for the default test name and the results folder:
 * a path's file name without its extension (`./targets/mydb.ts` -> mydb), a
 * package name with its scope's `@` and slashes turned into dashes.
 */
export function specLabel(spec: string): string {
  if (isModulePath(spec)) {
    const base = path.basename(spec).replace(MODULE_EXTENSIONS, '');
    return base === 'index' ? path.basename(path.dirname(spec)) : base;
  }
  return spec.replace(/^@/, '').replace(/[^A-Za-z0-9_.-]+/g, '-');
}
