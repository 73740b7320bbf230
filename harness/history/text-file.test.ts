import { isUtf8 } from 'node:buffer';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from './errors.js';
import { decodeUtf8, firstInvalidUtf8, readTextFile } from './text-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faultline-text-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('decodeUtf8', () => {
  it('finds an invalid sequence exactly when Node does not take the bytes as UTF-8', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 12 }),
      fc.string({ unit: 'binary' }).map((s) => new TextEncoder().encode(s)),
      fc
        .constantFrom([0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0x80])
        .map((b) => new Uint8Array(b)),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        expect(firstInvalidUtf8(b) === b.length).toBe(isUtf8(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the line and the byte of the first invalid sequence', () => {
    const bytes = new Uint8Array([...Buffer.from('ok\nstill ok\nbad '), 0xc3, 0x28, ...Buffer.from('\n')]);
    expect(() => decodeUtf8(bytes, 'h.jsonl')).toThrow(
      new UserError(
        'not valid UTF-8 (byte 0xc3 at byte 5 of the line); faultline reads text as UTF-8 and will not guess what these bytes mean',
        {
          where: 'h.jsonl:3',
        },
      ),
    );
    expect(decodeUtf8(Buffer.from('é\u{1F600}'), 'x')).toBe('é\u{1F600}');
  });
});

describe('readTextFile', () => {
  it('reads a regular file and refuses a directory, a FIFO and a device without waiting', async () => {
    const file = path.join(dir, 'a.txt');
    await writeFile(file, '\uFEFFtext');
    expect(await readTextFile(file)).toBe('\uFEFFtext');
    await expect(readTextFile(dir, 'history file')).rejects.toThrow(`${dir}: is a directory, not a history file`);
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await expect(readTextFile(fifo)).rejects.toThrow(`${fifo}: is a FIFO (named pipe), not a regular file`);
    await expect(readTextFile('/dev/null')).rejects.toThrow('/dev/null: is a device or other special file');
    await expect(readTextFile(path.join(dir, 'nope'))).rejects.toThrow(`${path.join(dir, 'nope')}: no such file`);
  });
});
