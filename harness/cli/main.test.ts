/**
 * The CLI exits only once its output has drained: a reader slower than
 * faultline (a pipe to jq, a CI log collector) gets the whole document, not
 * the first 64 KiB.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../checkers/linearizable/testing/history-builder.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Reads stdin 64 KiB at a time, 10 ms apart, then prints how many bytes came and whether they parse as JSON. */
const SLOW_READER = `
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.pause();
const tick = () => {
  const chunk = process.stdin.read(65536);
  if (chunk !== null) text += chunk;
  setTimeout(tick, 10);
};
process.stdin.on('end', () => {
  let parses = true;
  try { JSON.parse(text); } catch { parses = false; }
  console.log(JSON.stringify({ bytes: Buffer.byteLength(text), parses, tail: text.slice(-3) }));
  process.exit(0);
});
tick();
`;

/** Runs `faultline ARGS` with its stdout piped into the slow reader. Returns faultline's exit code and what the reader saw. */
function throughSlowPipe(args: string[]): Promise<{ code: number | null; seen: { bytes: number; parses: boolean } }> {
  return new Promise((resolve, reject) => {
    const faultline = spawn('node', ['bin/faultline.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const reader = spawn('node', ['-e', SLOW_READER], { stdio: [faultline.stdout, 'pipe', 'inherit'] });
    let out = '';
    reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let code: number | null = null;
    faultline.on('exit', (c) => (code = c));
    faultline.on('error', reject);
    reader.on('error', reject);
    reader.on('close', () => resolve({ code, seen: JSON.parse(out) }));
  });
}

describe('the faultline command line', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-main-'));
    // One key whose value grows by a 500-byte token per append, then a get that misses the last one:
    // the evidence (up to 200 steps, each with the whole value) makes a --json document of several MB.
    const h = new HistoryBuilder();
    for (let i = 0; i < 100; i++) h.invoke(0, 'append', `<${i}:${'x'.repeat(500)}>`, 'k').ok(0);
    h.invoke(1, 'get', null, 'k').ok(1, '');
    file = join(dir, 'history.jsonl');
    await writeFile(file, `${h.ops.map((op) => JSON.stringify(op)).join('\n')}\n`);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes a --json document of several MB completely through a slow pipe before it exits', async () => {
    const { code, seen } = await throughSlowPipe(['check', file, file, '--model', 'kv', '--initial', '""', '--json']);
    expect(code).toBe(1); // invalid
    expect(seen.parses).toBe(true);
    expect(seen.bytes).toBeGreaterThan(3 * 2 ** 20);
  });
});
