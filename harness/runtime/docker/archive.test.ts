import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTo, packPath, packTar } from './archive.js';

describe('tar archives for copyTo / copyFrom', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-archive-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a file byte for byte, with its mode, under a new name', async () => {
    const content = randomBytes(70_000);
    await writeFile(join(dir, 'a.bin'), content, { mode: 0o751 });
    await extractTo(packPath(join(dir, 'a.bin'), 'renamed.bin'), join(dir, 'out', 'b.bin'));
    expect((await readFile(join(dir, 'out', 'b.bin'))).equals(content)).toBe(true);
    expect((await lstat(join(dir, 'out', 'b.bin'))).mode & 0o777).toBe(0o751);
  });

  it('round-trips a directory tree with a symlink, replacing what was at the destination', async () => {
    const src = join(dir, 'tree');
    await mkdir(join(src, 'sub', 'deeper'), { recursive: true });
    await writeFile(join(src, 'top.txt'), 'top');
    await writeFile(join(src, 'sub', 'deeper', 'leaf.txt'), 'leaf');
    await symlink('top.txt', join(src, 'link'));
    const dest = join(dir, 'copy');
    await mkdir(dest, { recursive: true });
    await writeFile(join(dest, 'stale.txt'), 'must go');
    await extractTo(packPath(src, 'tree'), dest);
    expect(await readFile(join(dest, 'top.txt'), 'utf8')).toBe('top');
    expect(await readFile(join(dest, 'sub', 'deeper', 'leaf.txt'), 'utf8')).toBe('leaf');
    expect(await readlink(join(dest, 'link'))).toBe('top.txt');
    await expect(lstat(join(dest, 'stale.txt'))).rejects.toThrow();
  });

  it('refuses entries that would escape the destination', async () => {
    const pack = tar.pack();
    pack.entry({ name: 'x', type: 'directory' });
    pack.entry({ name: 'x/../../escaped.txt' }, 'nope');
    pack.finalize();
    await expect(extractTo(pack, join(dir, 'safe', 'x'))).rejects.toThrow(/unsafe archive entry/);
    await expect(lstat(join(dir, 'escaped.txt'))).rejects.toThrow();
  });

  it('packs in-memory files (a build context)', async () => {
    await extractTo(
      packTar([{ name: 'Dockerfile', data: Buffer.from('FROM x\n'), mode: 0o644 }]),
      join(dir, 'ctx', 'Dockerfile'),
    );
    expect(await readFile(join(dir, 'ctx', 'Dockerfile'), 'utf8')).toBe('FROM x\n');
  });

  it('reports a missing local path as an error on the stream', async () => {
    const stream = packPath(join(dir, 'does-not-exist'), 'x');
    await expect(extractTo(stream, join(dir, 'never'))).rejects.toThrow(/ENOENT/);
  });
});
