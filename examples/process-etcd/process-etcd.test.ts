/**
 * etcd through the process target with shell scripts only (start.sh,
 * client.sh around etcdctl, primary.sh), on netns nodes (cluster lib-etcdp,
 * 10.241.2.0/24): reads are linearizable, so under partitions the history
 * must be linearizable, with ops that succeeded, failed and timed out, and
 * faults aimed at the leader the primary command names; and under the
 * membership fault (members removed and added back through etcdctl member
 * remove / add, the config's membership commands), with the changes recorded.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClean } from '../../harness/cli/commands/clean.js';
import { silentLogger } from '../../harness/log.js';
import type { RunResults } from '../../harness/results/results.js';
import { missing } from '../../harness/testing/requirements.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const needs = missing({ root: true, commands: ['ip', 'iptables', 'setsid', 'etcd', 'etcdctl', 'jq'] });

let results: string;
beforeAll(async () => {
  results = await mkdtemp(path.join(os.tmpdir(), 'lib-etcdp-results-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
  // The runs keep their node data (for a look after a run); the test removes it.
  if (!needs) await runClean({ name: 'lib-etcdp' }, silentLogger);
});

/** Runs faultline test with the example's config and `extra` flags; resolves with its exit code and output. */
function faultlineTest(extra: string[]): Promise<{ code: number | undefined; stdout: string; stderr: string }> {
  const args = [
    ...['bin/faultline.js', 'test', '--config', 'examples/process-etcd/faultline.config.yaml'],
    ...['--nodes', '3', '--cluster', 'lib-etcdp', '--subnet', '10.241.2.0/24', '--results-dir', results],
    ...extra,
  ];
  return run(process.execPath, args, { cwd: ROOT, timeout: 240_000 }).then(
    (r) => ({ code: 0, ...r }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({
      code: err.code,
      stdout: err.stdout ?? '',
      stderr: err.stderr ?? '',
    }),
  );
}

/** The results.json of the one run named `name`. */
async function storedResults(name: string): Promise<RunResults> {
  const [stamp] = await readdir(path.join(results, name));
  return JSON.parse(await readFile(path.join(results, name, stamp!, 'results.json'), 'utf8')) as RunResults;
}

describe.skipIf(needs)('etcd through the process target, with an etcdctl adapter in sh', () => {
  it('is linearizable under partitions', async () => {
    const args = [
      ...['bin/faultline.js', 'test', '--config', 'examples/process-etcd/faultline.config.yaml'],
      ...['--nodes', '3', '--cluster', 'lib-etcdp', '--subnet', '10.241.2.0/24', '--time-limit', '25'],
      ...['--nemesis-interval', '3', '--recovery-time', '3', '--concurrency', '9', '--seed', '3'],
      ...['--results-dir', results],
    ];
    const outcome = await run(process.execPath, args, { cwd: ROOT, timeout: 240_000 }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }),
    );
    expect(outcome.stdout, outcome.stderr.slice(-3000)).toMatch(/^VALID {2}process-register \(seed 3\)$/m);
    expect(outcome.code).toBe(0);

    const [name] = await readdir(path.join(results, 'process-register'));
    const runDir = path.join(results, 'process-register', name!);
    const stored = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8')) as RunResults;
    expect(stored.checker).toMatchObject({ kind: 'linearizable', valid: true });
    expect(stored.stats.counts.read?.ok).toBeGreaterThan(20);
    expect(stored.stats.counts.write?.ok).toBeGreaterThan(20);
    expect(stored.faults.filter((f) => f.fault === 'partition').length).toBeGreaterThan(1);
    expect(await readFile(path.join(runDir, 'nodes', 'n1', 'sut.log'), 'utf8')).toMatch(/etcd/);

    const leftovers = await run('sh', [
      '-c',
      'ip netns list | grep "^lib-etcdp-" ; pgrep -f "[c]lient.sh|[f]aultline-process" ; true',
    ]);
    expect(leftovers.stdout).toBe('');
  }, 300_000);

  it('is linearizable while members are removed and added back, and the history says which', async () => {
    const outcome = await faultlineTest([
      ...['--name', 'process-membership', '--nemesis', 'membership', '--time-limit', '30'],
      ...['--nemesis-interval', '4', '--recovery-time', '3', '--concurrency', '6', '--seed', '5'],
    ]);
    expect(outcome.stdout, outcome.stderr.slice(-3000)).toMatch(/^VALID {2}process-membership \(seed 5\)$/m);
    expect(outcome.code).toBe(0);
    const stored = await storedResults('process-membership');
    expect(stored.checker).toMatchObject({ kind: 'linearizable', valid: true });
    const windows = stored.faults.filter((f) => f.fault === 'membership');
    expect(windows.length, JSON.stringify(stored.faults)).toBeGreaterThan(0);
    expect(JSON.stringify(windows)).toMatch(/removed n\d, members/);
    expect(stored.stats.counts.write?.ok).toBeGreaterThan(20);
  }, 300_000);
});
