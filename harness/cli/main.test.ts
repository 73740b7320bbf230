/**
 * The command line itself, through bin/faultline.js: --version, --help with
 * defaults and examples, and flags that no command or target has. And it
 * exits only once its output has drained: a reader slower than faultline (a
 * pipe to jq, a CI log collector) gets the whole document, not the first 64 KiB.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../checkers/linearizable/testing/history-builder.js';
import { undeclaredFlags } from './target-flags.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cli = (...args: string[]) => execa('node', ['bin/faultline.js', ...args], { cwd: ROOT, reject: false });

describe('the faultline command line', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli('--version');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(version);
  });

  it('--help lists the commands with examples; a command’s help shows defaults and examples', async () => {
    const top = await cli('--help');
    expect(top.exitCode).toBe(0);
    for (const command of ['test', 'suite', 'repro', 'check', 'analyze', 'serve', 'heal', 'clean']) {
      expect(top.stdout).toMatch(new RegExp(`faultline ${command}\\b`));
    }
    expect(top.stdout).toMatch(/Examples:\n\s+faultline test --target etcd/);
    const test = await cli('test', '--help');
    expect(test.stdout).toMatch(/--time-limit\s+seconds of workload \(default 60\)/);
    expect(test.stdout).toMatch(/--read-mode\s+etcd: [\s\S]*?\(default\s+linearizable\)/);
    expect(test.stdout).toMatch(/--client\s+process: command that starts one client\s+adapter/);
    expect(test.stdout).toMatch(/Examples:\n\s+faultline test --nemesis partition,kill/);
    expect(test.stdout).toMatch(/faultline test --target \.\/targets\/mydb\.ts/);
  });

  it('an unknown command: 254 with the usage', async () => {
    const r = await cli('tset');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toMatch(/faultline: Unknown argument: tset/);
  });

  it('faultline test with a flag neither it nor the target has: 254 naming the flag, before any node', async () => {
    const r = await cli('test', '--target', 'etcd', '--time-limt', '5');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toBe(
      'faultline: --time-limt: unknown option (not an option of faultline test, nor of target etcd)',
    );
    const extra = await cli('test', 'now');
    expect(extra.exitCode).toBe(254);
    expect(extra.stderr).toBe('faultline: unexpected argument "now" (test takes only options)');
  });
});

describe('undeclared flags', () => {
  it('are the camelCase keys the command does not declare, as text', () => {
    const args = {
      _: ['test'],
      $0: 'faultline',
      target: 'x',
      'time-limit': '5',
      timeLimit: '5',
      'queue-size': 3,
      queueSize: 3,
      fast: true,
    };
    expect(undeclaredFlags(args, ['target', 'time-limit'])).toEqual({ queueSize: '3', fast: 'true' });
  });
});

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

describe('the faultline command line’s output', () => {
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
