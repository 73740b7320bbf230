/**
 * examples/plugin-target as its user would have it: a project outside
 * faultline's sources that depends on faultline by a file: reference
 * (node_modules/faultline -> the repository, as `npm install` links it),
 * type-checks with a plain tsc setup against the package's .d.ts files, and
 * runs `faultline test` with its own target, workload and model on netns
 * nodes (cluster lib-plug, 10.241.4.0/24); then `faultline check --model`
 * with its model, and a module that exports the wrong thing.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClean } from '../../harness/cli/commands/clean.js';
import { silentLogger } from '../../harness/log.js';
import { ensureBuilt, ROOT } from '../../harness/testing/build.js';
import { missing } from '../../harness/testing/requirements.js';

const run = promisify(execFile);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const FAULTLINE = path.join(HERE, 'node_modules', 'faultline', 'bin', 'faultline.js');
const needs = missing({ root: true, commands: ['ip', 'iptables', 'setsid'] });

/** `npx faultline ...args` in the example's folder: exit code and output, never a rejection. */
async function faultline(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FAULTLINE, ...args], { cwd: HERE, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

let results: string;
beforeAll(async () => {
  // What `npm install` makes of "faultline": "file:../..".
  const link = path.join(HERE, 'node_modules', 'faultline');
  if (!existsSync(link) && !isSymlink(link)) {
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(path.relative(path.dirname(link), ROOT), link);
  }
  ensureBuilt(); // the .d.ts files the example type-checks against
  results = await mkdtemp(path.join(os.tmpdir(), 'lib-plugin-results-'));
}, 300_000);
afterAll(async () => {
  if (results) await rm(results, { recursive: true, force: true });
  // The runs keep their node data (for a look after a run); the test removes it.
  if (!needs) await runClean({ name: 'lib-plug' }, silentLogger);
});

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

describe('a project of its own with a target, workload and model for faultline', () => {
  it('type-checks with plain tsc against the package', async () => {
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', HERE], { timeout: 240_000 }).catch((err: unknown) => err);
    expect((checked as { stdout?: string }).stdout ?? '').toBe('');
  }, 240_000);

  it.skipIf(needs)(
    'faultline test --target ./targets/counter.ts --workload ./workloads/counter.ts: valid under partitions and pauses',
    async () => {
      const r = await faultline(
        'test',
        ...['--target', './targets/counter.ts', '--workload', './workloads/counter.ts'],
        ...['--nemesis', 'partition,pause', '--nemesis-interval', '3', '--time-limit', '12', '--recovery-time', '2'],
        ...['--nodes', '3', '--cluster', 'lib-plug', '--subnet', '10.241.4.0/24', '--concurrency', '6'],
        ...['--counter-port', '8201', '--results-dir', results, '--seed', '11'],
      );
      expect(r.stdout, r.stderr.slice(-3000)).toMatch(/^VALID {2}counter-counter \(seed 11\)$/m);
      expect(r.code).toBe(0);
      const [name] = await readdir(path.join(results, 'counter-counter'));
      const runDir = path.join(results, 'counter-counter', name!);
      const stored = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8'));
      expect(stored.checker).toMatchObject({ kind: 'linearizable', model: 'counter', valid: true });
      expect(stored.stats.counts.incr.ok).toBeGreaterThan(20);
      expect(stored.stats.counts.read.ok).toBeGreaterThan(20);
      expect(stored.faults.length).toBeGreaterThan(0);
      const test = JSON.parse(await readFile(path.join(runDir, 'test.json'), 'utf8'));
      expect(test).toMatchObject({ target: 'counter', workload: 'counter' });
      expect(await readFile(path.join(runDir, 'nodes', 'n2', 'counter.log'), 'utf8')).toMatch(
        /counter on 10\.241\.4\.3/,
      );

      // The model on its own: faultline check of the run's history.
      const checked = await faultline('check', path.join(runDir, 'history.jsonl'), '--model', './models/counter.ts');
      expect(checked.stdout).toMatch(/\ttrue$/m);
      expect(checked.code).toBe(0);
    },
    300_000,
  );

  it('a module that does not export a target: exit 254 naming the file and what it lacks, no stack trace', async () => {
    const r = await faultline('test', '--target', './workloads/counter.ts', '--workload', 'register');
    expect(r.code).toBe(254);
    expect(r.stderr).toBe(
      `faultline: --target: ${path.join(HERE, 'workloads', 'counter.ts')}: the target it exports lacks description (a string), options (a zod schema), packages (an array), clients (an object), install (a function), setup (a function), start (a function), teardown (a function), awaitReady (a function) and logFiles (a function)\n`,
    );
    const model = await faultline(
      'check',
      path.join(ROOT, 'examples', 'cas-register-good.jsonl'),
      '--model',
      './targets/counter.ts',
    );
    expect(model.code).toBe(254);
    expect(model.stderr).toMatch(
      /^faultline: --model: .*targets\/counter\.ts: the model it exports lacks init \(a function\)/,
    );
    expect(model.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});
