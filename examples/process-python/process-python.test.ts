/**
 * The Python key-value store (kvserver.py, standard library only) through
 * the process target, on netns nodes (cluster lib-py, 10.241.1.0/24): its
 * followers serve reads from a copy the leader replicates after it has
 * acknowledged the write, so under partitions faultline's linearizability
 * checker must find a stale read, and the report must name the follower
 * that served it. Nothing of the run may be left behind.
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
const needs = missing({ root: true, commands: ['ip', 'iptables', 'setsid', 'python3'] });

let results: string;
beforeAll(async () => {
  results = await mkdtemp(path.join(os.tmpdir(), 'lib-py-results-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
  // The runs keep their node data (for a look after a run); the test removes it.
  if (!needs) await runClean({ name: 'lib-py' }, silentLogger);
});

describe.skipIf(needs)('a Python key-value store with follower reads, through the process target', () => {
  it('faultline finds the stale read under partitions, and the report names the follower that served it', async () => {
    const args = [
      ...['bin/faultline.js', 'test', '--config', 'examples/process-python/faultline.config.yaml'],
      ...['--nodes', '3', '--cluster', 'lib-py', '--subnet', '10.241.1.0/24', '--time-limit', '20'],
      ...['--recovery-time', '2', '--seed', '5', '--results-dir', results],
    ];
    const outcome = await run(process.execPath, args, { cwd: ROOT, timeout: 240_000 }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }),
    );
    expect(outcome.stdout, outcome.stderr.slice(-3000)).toMatch(/^INVALID {2}process-register \(seed 5\)$/m);
    expect(outcome.code).toBe(1);

    const [name] = await readdir(path.join(results, 'process-register'));
    const runDir = path.join(results, 'process-register', name!);
    const stored = JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8')) as RunResults;
    const { checker } = stored;
    if (checker.kind !== 'linearizable' || checker.valid !== false) throw new Error(`not a linearizability violation`);
    // The leader is n1 (the first member), whose reads are up to date: the anomaly's two ops (the op
    // that cannot be linearized, and the last one that could) include a read a follower served.
    const { failedOp, lastOkOp } = checker.failure;
    const staleRead = [failedOp, lastOkOp].find((op) => op?.f === 'read' && (op.node === 'n2' || op.node === 'n3'));
    expect(staleRead, checker.failure.explanation).toBeDefined();
    expect(stored.faults.some((f) => f.fault === 'partition')).toBe(true);

    // The report says which node served it ("read 1 from n2").
    const report = await readFile(path.join(runDir, 'report.html'), 'utf8');
    expect(report).toContain(`${staleRead!.text} from ${staleRead!.node}`);
    for (const node of ['n1', 'n2', 'n3']) {
      expect(await readFile(path.join(runDir, 'nodes', node, 'sut.log'), 'utf8')).toMatch(`${node}: serving on`);
    }

    const leftovers = await run('sh', [
      '-c',
      'ip netns list | grep "^lib-py-" ; pgrep -f "[k]vserver.py|[c]lient.py" ; true',
    ]);
    expect(leftovers.stdout).toBe('');
  }, 300_000);
});
