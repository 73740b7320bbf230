import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteSpec, isModulePath, isPackageName, specLabel } from './spec.js';

describe('what a --target, --workload or --model names', () => {
  it('a path: starts with ./ ../ / ~/, or ends in a module extension', () => {
    for (const spec of ['./t.ts', '../t.js', '/abs/t.mjs', '~/t.ts', 'targets/mydb.ts', 'x.cjs', 'x.mts']) {
      expect(isModulePath(spec), spec).toBe(true);
    }
    for (const spec of ['etcd', 'faultline-target-redis', '@acme/faultline-db', 'pkg/sub']) {
      expect(isModulePath(spec), spec).toBe(false);
    }
  });

  it('a package name, with a scope or a subpath; not a path, not anything else', () => {
    for (const spec of ['redis', 'faultline-target-redis', '@acme/db', '@acme/db/target', 'pkg/sub/path']) {
      expect(isPackageName(spec), spec).toBe(true);
    }
    for (const spec of ['./x.ts', 'two words', '@scope', '', 'a:b']) expect(isPackageName(spec), spec).toBe(false);
  });

  it('module paths are made absolute against the folder given; names stay as they are', () => {
    expect(absoluteSpec('./targets/mydb.ts', '/home/me/proj')).toBe('/home/me/proj/targets/mydb.ts');
    expect(absoluteSpec('../x.js', '/home/me/proj')).toBe('/home/me/x.js');
    expect(absoluteSpec('/abs/x.ts', '/home/me/proj')).toBe('/abs/x.ts');
    expect(absoluteSpec('etcd', '/home/me/proj')).toBe('etcd');
    expect(absoluteSpec('@acme/db', '/home/me/proj')).toBe('@acme/db');
  });

  it('a short label for test names', () => {
    expect(specLabel('/home/me/proj/targets/mydb.ts')).toBe('mydb');
    expect(specLabel(path.join('/p', 'queue', 'index.ts'))).toBe('queue');
    expect(specLabel('@acme/faultline-db')).toBe('acme-faultline-db');
    expect(specLabel('etcd')).toBe('etcd');
  });
});
