/**
 * Finds the file an npm package name stands for, looked up from a folder the
 * way Node looks up an import from a file in it: node_modules/<name> in the
 * folder or the nearest parent that has it, then the package's `exports`
 * (conditions import, node, default), else `module` / `main`, else index.js.
 *
 * (Node can resolve only from the importing module's own place, so the
 * lookup from the user's folder is done here; it covers exports written as a
 * string, a subpath map with `*` patterns, and condition objects.)
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

const CONDITIONS = ['import', 'node', 'default'];

type Exports = string | null | Exports[] | { [key: string]: Exports };

/** `@scope/name/sub/path` -> { name: '@scope/name', subpath: './sub/path' } */
export function splitPackageSpec(spec: string): { name: string; subpath: string } {
  const parts = spec.split('/');
  const length = spec.startsWith('@') ? 2 : 1;
  const rest = parts.slice(length).join('/');
  return { name: parts.slice(0, length).join('/'), subpath: rest === '' ? '.' : `./${rest}` };
}

/**
 * The absolute path of the file `spec` resolves to from `fromDir`, or
 * undefined when no package of that name is installed there or above.
 * Throws UserError (naming `where`) when the package's package.json cannot
 * be read, or it exports nothing for the subpath.
 */
export function resolvePackage(spec: string, fromDir: string, where: string): string | undefined {
  const { name, subpath } = splitPackageSpec(spec);
  const dir = findPackageDir(name, fromDir);
  if (dir === undefined) return undefined;
  let pkg: { exports?: Exports; module?: unknown; main?: unknown };
  try {
    pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof pkg;
  } catch (err) {
    throw new UserError(`cannot read ${path.join(dir, 'package.json')}: ${(err as Error).message}`, {
      where,
      cause: err,
    });
  }
  const target = entryOf(pkg, subpath);
  if (target === undefined) {
    throw new UserError(`package ${name} exports nothing for ${subpath === '.' ? 'its root' : subpath}`, { where });
  }
  return path.resolve(dir, target);
}

function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

function entryOf(pkg: { exports?: Exports; module?: unknown; main?: unknown }, subpath: string): string | undefined {
  if (pkg.exports !== undefined) {
    const exported = pkg.exports;
    const map =
      typeof exported === 'string' || Array.isArray(exported) || !hasSubpathKeys(exported)
        ? { '.': exported }
        : exported;
    return subpathTarget(map as Record<string, Exports>, subpath);
  }
  if (subpath !== '.') return subpath;
  if (typeof pkg.module === 'string') return pkg.module;
  if (typeof pkg.main === 'string') return pkg.main;
  return 'index.js';
}

function hasSubpathKeys(exported: Exports): boolean {
  return typeof exported === 'object' && exported !== null && Object.keys(exported).some((k) => k.startsWith('.'));
}

function subpathTarget(map: Record<string, Exports>, subpath: string): string | undefined {
  if (Object.hasOwn(map, subpath)) return conditional(map[subpath]!, '');
  for (const [pattern, value] of Object.entries(map)) {
    const star = pattern.indexOf('*');
    if (star < 0) continue;
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= prefix.length + suffix.length) {
      return conditional(value, subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

function conditional(value: Exports, star: string): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value.replaceAll('*', star);
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = conditional(item, star);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [condition, inner] of Object.entries(value)) {
    if (!CONDITIONS.includes(condition)) continue;
    const found = conditional(inner, star);
    if (found !== undefined) return found;
  }
  return undefined;
}
