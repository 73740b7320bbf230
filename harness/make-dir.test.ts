import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDir, makeDirFailure } from './make-dir.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faultline-make-dir-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeDir', () => {
  it('creates the missing parents with the mode, and accepts a directory that exists', async () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await makeDir(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o700);
    await makeDir(deep);
    await Promise.all([makeDir(path.join(dir, 'x', 'y')), makeDir(path.join(dir, 'x', 'y'))]);
  });

  it('fails, rather than looping as Node’s recursive mkdir does, where the kernel refuses (under /proc)', async () => {
    const err = await makeDir('/proc/faultline-test/x/y').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ENOENT', path: '/proc/faultline-test' });
    expect(makeDirFailure('/proc/faultline-test/x/y', err)).toBe(
      'cannot create the directory /proc/faultline-test: the system does not allow a directory there',
    );
  });

  it('fails with ENOTDIR when a component is a file', async () => {
    const file = path.join(dir, 'file');
    await writeFile(file, '');
    await expect(makeDir(path.join(file, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(makeDir(file)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
