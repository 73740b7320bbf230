import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNodesFile } from './nodes-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-nodes-file-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('--nodes-file', () => {
  it('reads one host per line, skipping blank lines and comments', async () => {
    const path = await file('nodes', '# the cluster\nn1.example\n\n  n2.example  \r\n10.0.0.3\n');
    expect(await readNodesFile(path)).toEqual(['n1.example', 'n2.example', '10.0.0.3']);
  });

  it('names the flag and file of a file it cannot read, that names no host, or has two on a line', async () => {
    await expect(readNodesFile(join(dir, 'absent'))).rejects.toThrow(/^--nodes-file .*absent: cannot read it/);
    await expect(readNodesFile(await file('empty', '\n# none\n'))).rejects.toThrow(/names no host/);
    await expect(readNodesFile(await file('two', 'n1 n2\n'))).rejects.toThrow(
      /expected one host per line, got "n1 n2"/,
    );
  });
});
