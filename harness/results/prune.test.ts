import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeRunDir } from './prune.js';
import { pointLatestAt } from './store.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-prune-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function run(test: string, time: string): Promise<string> {
  const dir = join(root, test, time);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'test.json'), '{}');
  return dir;
}

describe('removeRunDir', () => {
  it('removes the run, then its empty test folder, and points latest at the newest run left', async () => {
    const older = await run('a', '20261202T010000.000Z');
    const newer = await run('b', '20261202T020000.000Z');
    await mkdir(join(root, 'b', 'not-a-run'));
    const newest = await run('b', '20261202T030000.000Z');
    await pointLatestAt(root, newest);

    await removeRunDir(root, newest);
    expect(existsSync(newest)).toBe(false);
    expect(await readlink(join(root, 'latest'))).toBe(join('b', '20261202T020000.000Z'));

    await removeRunDir(root, older); // latest does not point at it: left alone
    expect(existsSync(join(root, 'a'))).toBe(false);
    expect(await readlink(join(root, 'latest'))).toBe(join('b', '20261202T020000.000Z'));

    await removeRunDir(root, newer);
    expect(existsSync(join(root, 'b', 'not-a-run'))).toBe(true); // the test folder is not empty: kept
    expect(existsSync(join(root, 'latest'))).toBe(false); // no run left
  });
});
