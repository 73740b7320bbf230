import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { resolvePackage, splitPackageSpec } from './resolve-package.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'lib-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** node_modules/<name>/package.json under `dir`, returning the package's folder. */
function pkg(dir: string, name: string, json: Record<string, unknown>): string {
  const folder = path.join(dir, 'node_modules', name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, ...json }));
  return folder;
}

describe('finding a package from the user’s folder', () => {
  const project = path.join(root, 'project');
  const nested = path.join(project, 'src', 'deep');
  mkdirSync(nested, { recursive: true });
  const plain = pkg(project, 'plain', { main: 'lib/main.js' });
  const exported = pkg(project, 'exported', {
    exports: {
      '.': { types: './index.d.ts', import: './esm/index.js', require: './cjs/index.cjs' },
      './targets/*': { default: './dist/targets/*.js' },
      './nothing': null,
    },
  });
  const scoped = pkg(root, '@acme/db', { exports: './target.mjs' });
  const bare = pkg(project, 'bare', {});

  it('splits scope, name and subpath', () => {
    expect(splitPackageSpec('@acme/db/targets/x')).toEqual({ name: '@acme/db', subpath: './targets/x' });
    expect(splitPackageSpec('plain')).toEqual({ name: 'plain', subpath: '.' });
  });

  it('looks in node_modules of the folder and its parents, then reads main, exports conditions and patterns', () => {
    expect(resolvePackage('plain', nested, '--target')).toBe(path.join(plain, 'lib', 'main.js'));
    expect(resolvePackage('exported', nested, '--target')).toBe(path.join(exported, 'esm', 'index.js'));
    expect(resolvePackage('exported/targets/redis', project, '--target')).toBe(
      path.join(exported, 'dist', 'targets', 'redis.js'),
    );
    expect(resolvePackage('@acme/db', nested, '--target')).toBe(path.join(scoped, 'target.mjs'));
    expect(resolvePackage('bare', project, '--target')).toBe(path.join(bare, 'index.js'));
  });

  it('undefined when it is not installed; a UserError when it exports nothing for the subpath', () => {
    expect(resolvePackage('missing', nested, '--target')).toBeUndefined();
    expect(() => resolvePackage('exported/nothing', project, '--workload')).toThrow(UserError);
    expect(() => resolvePackage('exported/other', project, '--workload')).toThrow(
      /--workload: package exported exports nothing for \.\/other/,
    );
  });
});
