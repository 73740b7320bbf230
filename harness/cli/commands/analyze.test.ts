import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../history/op.js';
import type { TestRecord } from '../../results/results.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

const cli = async (...args: string[]) => {
  const r = await execa('node', ['bin/faultline.js', 'analyze', ...args], { cwd: ROOT, reject: false });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
};

const record = (workload: string): TestRecord => ({
  name: 'stored',
  target: 'etcd',
  workload,
  nemesis: ['partition'],
  runtime: 'netns',
  nodes: ['n1', 'n2', 'n3'],
  concurrency: 2,
  timeLimitSeconds: 1,
  seed: 7,
  startedAt: '2026-11-22T10:00:00.000Z',
  options: {
    target: 'etcd',
    workload,
    concurrency: 2,
    rate: 0,
    checkTimeoutSeconds: 10,
    targetOptions: {},
    workloadOptions: {},
    nemesisOptions: {},
  },
});

/** Two processes on key 1: write 1 completes, then a read returns 2, which nobody wrote. */
const staleHistory: Op[] = [
  { index: 0, time: 0, type: 'invoke', process: 0, f: 'write', key: 1, value: 1 },
  { index: 1, time: 10, type: 'ok', process: 0, f: 'write', key: 1, value: 1 },
  { index: 2, time: 20, type: 'info', process: 'nemesis', f: 'start-partition' },
  { index: 3, time: 30, type: 'info', process: 'nemesis', f: 'start-partition', value: { grudge: { n1: ['n2'] } } },
  { index: 4, time: 40, type: 'invoke', process: 1, f: 'read', key: 1, value: null },
  { index: 5, time: 50, type: 'ok', process: 1, f: 'read', key: 1, value: 2 },
];

async function storeRun(dir: string, workload: string, history: Op[]): Promise<string> {
  const run = join(dir, workload);
  await mkdir(run, { recursive: true });
  await writeFile(join(run, 'test.json'), JSON.stringify(record(workload)));
  await writeFile(join(run, 'history.jsonl'), `${history.map((op) => JSON.stringify(op)).join('\n')}\n`);
  return run;
}

describe('faultline analyze', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-analyze-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('re-checks a stored run with its workload checker and rewrites results.json and report.html', async () => {
    const run = await storeRun(dir, 'register', staleHistory);
    const r = await cli(run);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^INVALID {2}stored/);
    expect(r.stdout).toContain('not linearizable: key 1');
    const results = JSON.parse(await readFile(join(run, 'results.json'), 'utf8')) as {
      valid: unknown;
      faults: unknown[];
    };
    expect(results.valid).toBe(false);
    expect(results.faults).toEqual([
      { fault: 'partition', start: 30, detail: { grudge: { n1: ['n2'] } }, text: 'n1 ✗ n2' },
    ]);
    expect(await readFile(join(run, 'report.html'), 'utf8')).toContain('<!doctype html>');
  });

  it('keeps the warnings an earlier check recorded about the run', async () => {
    const run = await storeRun(dir, 'cas-register', staleHistory.slice(0, 4));
    const warning = 'etcd ignores libfaketime: clock skew was not applied';
    await writeFile(join(run, 'results.json'), JSON.stringify({ valid: true, warnings: [warning] }));
    expect((await cli(run)).exitCode).toBe(0);
    const results = JSON.parse(await readFile(join(run, 'results.json'), 'utf8')) as { warnings: string[] };
    expect(results.warnings).toEqual([warning]);
  });

  it('exits 0 for a valid stored run', async () => {
    const run = await storeRun(dir, 'cas-register', staleHistory.slice(0, 4));
    expect((await cli(run)).exitCode).toBe(0);
  });

  it('refuses a folder that is not a run, naming it, without a stack trace', async () => {
    const r = await cli(dir);
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain(`${dir}: not a faultline run folder`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
