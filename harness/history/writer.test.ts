import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from './errors.js';
import type { Op } from './op.js';
import { openHistoryWriter } from './writer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const op = (index: number): Op => ({
  index,
  time: index * 1000,
  type: index % 2 === 0 ? 'invoke' : 'ok',
  process: index % 7,
  f: 'cas',
  key: `k${index % 3}`,
  value: [index, index + 1],
});

const readLines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Op);

describe('openHistoryWriter', () => {
  it('writes one op per line; the file equals the in-memory history', async () => {
    const path = join(dir, 'a.jsonl');
    const w = await openHistoryWriter(path);
    for (let i = 0; i < 10_000; i++) w.append(op(i));
    await w.close();
    expect(w.count).toBe(10_000);
    expect(await readLines(path)).toEqual(w.history());
    expect(w.history()[3]).toEqual(op(3));
  });

  it('flushes on its own within the interval, without close', async () => {
    const path = join(dir, 'b.jsonl');
    const w = await openHistoryWriter(path, { flushIntervalMs: 1 });
    w.append(op(0));
    w.append(op(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(await readLines(path)).toEqual([op(0), op(1)]);
    await w.close();
  });

  it('flush() writes at once', async () => {
    const path = join(dir, 'c.jsonl');
    const w = await openHistoryWriter(path, { flushIntervalMs: 60_000 });
    w.append(op(0));
    expect(await readFile(path, 'utf8')).toBe('');
    await w.flush();
    expect(await readLines(path)).toEqual([op(0)]);
    await w.close();
    await w.close(); // idempotent
    expect(() => w.append(op(1))).toThrow(/closed/);
  });

  it('never overwrites an existing file, and names the path', async () => {
    const path = join(dir, 'exists.jsonl');
    await writeFile(path, 'precious\n');
    await expect(openHistoryWriter(path)).rejects.toThrow(UserError);
    await expect(openHistoryWriter(path)).rejects.toThrow(path);
    expect(await readFile(path, 'utf8')).toBe('precious\n');
    await expect(openHistoryWriter(join(dir, 'no-such-dir', 'h.jsonl'))).rejects.toThrow(/cannot be created/);
  });

  it('refuses a value JSON cannot hold (values are sanitised before they are recorded), keeping memory equal to the file', async () => {
    const path = join(dir, 'd.jsonl');
    const w = await openHistoryWriter(path);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    w.append(op(0));
    expect(() => w.append({ ...op(1), value: { big: 10n } as never })).toThrow(TypeError);
    expect(() => w.append({ ...op(1), value: { cyclic } as never })).toThrow(/not JSON/);
    w.append(op(1));
    await w.close();
    expect(await readLines(path)).toEqual(w.history());
    expect(w.history()).toHaveLength(2);
  });

  it('an uncaught exception in the harness loses no appended op (exit handler)', async () => {
    const path = join(dir, 'crash.jsonl');
    const script = `
      import { openHistoryWriter } from ${JSON.stringify(join(process.cwd(), 'harness/history/writer.ts'))};
      const w = await openHistoryWriter(${JSON.stringify(path)}, { flushIntervalMs: 60000 });
      for (let i = 0; i < 1000; i++) w.append({ index: i, time: i, type: 'invoke', process: 0, f: 'r' });
      throw new Error('boom');
    `;
    const r = await execa('node', ['--import', 'tsx', '--input-type=module', '-e', script], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('boom');
    const lines = await readLines(path);
    expect(lines).toHaveLength(1000);
    expect(lines[999]!.index).toBe(999);
  });
});
