/** test.target and test.workload name built-ins, module paths (from the config file's folder) or packages. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, mergeFlags, parseConfig } from './load.js';

describe('targets and workloads in the config and the flags', () => {
  it('a module path in the config file is taken from the file’s folder; names and packages stay', () => {
    const config = parseConfig(
      'test:\n  target: ./targets/mydb.ts\n  workload: faultline-workload-queue\n',
      'proj/faultline.config.yaml',
      '/home/me/proj',
    );
    expect(config.test.target).toBe('/home/me/proj/targets/mydb.ts');
    expect(config.test.workload).toBe('faultline-workload-queue');
    expect(config.baseDir).toBe('/home/me/proj');
  });

  it('a module path given as a flag is taken from the working directory', () => {
    const merged = mergeFlags(defaultConfig(), { target: '../t.mjs', workload: 'register' });
    expect(merged.test.target).toBe(path.resolve(process.cwd(), '../t.mjs'));
    expect(merged.test.workload).toBe('register');
  });

  it('a blank target is refused naming the key', () => {
    expect(() => parseConfig('test:\n  target: " "\n', 'c.yaml')).toThrow(
      /c\.yaml:2: test\.target: expected a name, a module path or a package name/,
    );
  });
});
