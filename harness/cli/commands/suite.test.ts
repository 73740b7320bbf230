/**
 * `faultline suite`, `faultline test --test-count` and `faultline repro`
 * end to end, through the CLI, against real etcd clusters on netns (cluster
 * ci1, 10.245.1.0/24), under a simulated GitHub Actions step: a suite of
 * four tests from a YAML file, its JUnit file checked by the Jenkins JUnit
 * schema and read back by junit2json, the step summary, then a repro of one
 * of its runs with --leave-db-running, and a repeated test with --keep
 * failed. Runs are a few seconds of workload each. After each part nothing
 * of the cluster may be left (namespaces, etcd processes, iptables rules),
 * except what --leave-db-running leaves until `faultline clean`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse, type TestSuite } from 'junit2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEAL_ROOT } from '../../../nemesis/heal-from-state.js';
import { junitSchemaErrors } from '../../ci/testing/junit-schema.js';
import type { TestRecord } from '../../results/results.js';
import { hostRulesMentioning, netnsLeftovers, processesWith } from '../../runtime/netns/leftovers.js';
import { repeatSeed } from '../../suite/seeds.js';
import { missing } from '../../testing/requirements.js';

const BIN = path.join(import.meta.dirname, '..', '..', '..', 'bin', 'faultline.js');
const CLUSTER = 'ci1';
const SUBNET = '10.245.1.0/24';
const NODE_DIRS = `/var/lib/faultline/${CLUSTER}/`;
const needs = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'iptables-save', 'setsid', 'xmllint'] });

const SUITE = `name: ci-smoke
runtime:
  netns: { name: ${CLUSTER}, nodes: 3, subnet: ${SUBNET} }
test:
  timeLimitSeconds: 3
  concurrency: 1n
  nemesisIntervalSeconds: 1
  recoveryTimeSeconds: 1
  opTimeoutSeconds: 1
  seed: 5
  resultsDir: results
matrix:
  workload: [register, set]
  nemesis: [none, partition]
`;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/faultline.js ...args` in `cwd` with `env` added; killed (and the test failed) after 100 s. */
function faultline(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGINT'); // heals and tears down
      reject(new Error(`faultline ${args.join(' ')} did not exit within 100 s\n${stdout}\n${stderr}`));
    }, 100_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What the cluster left on the host: namespaces, links, etcd processes, iptables rules, heal state. */
async function leftovers(): Promise<string[]> {
  return [
    ...(await netnsLeftovers(CLUSTER, NODE_DIRS)),
    ...(await hostRulesMentioning([CLUSTER, '10.245.1.'])).map((r) => `iptables rule ${r}`),
    ...(existsSync(path.join(DEFAULT_HEAL_ROOT, CLUSTER)) ? ['heal state'] : []),
  ];
}

const testRecord = async (runDir: string) =>
  JSON.parse(await readFile(path.join(runDir, 'test.json'), 'utf8')) as TestRecord;

const explain = (r: CliResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr.slice(-3000)}`;

describe.skipIf(needs)('faultline suite, test --test-count and repro on netns, as a GitHub Actions step', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faultline-suite-'));
  });
  afterAll(async () => {
    await faultline(['clean', '--name', CLUSTER], dir).catch(() => undefined);
    await rm(NODE_DIRS, { recursive: true, force: true });
    await rm(path.join(DEFAULT_HEAL_ROOT, CLUSTER), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  });

  let suiteRuns: string[] = [];

  it('runs a suite of 4 tests from a YAML file: summary table, JUnit file, step summary, exit 0', async () => {
    await writeFile(path.join(dir, 'suite.yaml'), SUITE);
    const summary = path.join(dir, 'step-summary.md');
    await writeFile(summary, '## an earlier step\n');
    const r = await faultline(['suite', 'suite.yaml', '--junit', 'out/junit.xml'], dir, {
      GITHUB_ACTIONS: 'true',
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.code, explain(r)).toBe(0);
    const names = ['etcd-register-none', 'etcd-register-partition', 'etcd-set-none', 'etcd-set-partition'];
    expect(r.stdout).toContain('4 runs: 4 valid (exit 0)');
    for (const [i, name] of names.entries()) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${i + 1} {2}valid {4}${name} +5 +\\d+ s +results/${name}/`, 'm'));
    }
    expect(r.stdout).not.toMatch(/^::/m); // nothing to annotate

    const xml = await readFile(path.join(dir, 'out', 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toBe('');
    const suites = ((await parse(xml)) as { testsuite?: TestSuite[] }).testsuite ?? [];
    expect(suites.map((s) => s.testcase?.map((c) => c.name))).toEqual(names.map((n) => [`${n} (seed 5)`]));
    expect(suites.every((s) => s.failures === 0 && s.errors === 0 && s.package === 'ci-smoke')).toBe(true);
    suiteRuns = suites.map((s) => String(s.properties?.find((p) => p.name === 'results')?.value));
    for (const [i, runDir] of suiteRuns.entries()) {
      const record = await testRecord(runDir);
      expect([record.name, record.seed, record.nodes]).toEqual([names[i], 5, ['n1', 'n2', 'n3']]);
      expect(record.concurrency).toBe(3); // 1n
      expect(existsSync(path.join(runDir, 'report.html'))).toBe(true);
    }

    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('## an earlier step\n### ci-smoke: 4 runs, 4 valid (exit 0)\n')).toBe(true);
    expect(md.split('\n').filter((l) => l.startsWith('| ✅ valid | etcd-'))).toHaveLength(4);
    expect(await leftovers()).toEqual([]);
  }, 150_000);

  it('repro reruns a stored run with its config and seed; --leave-db-running leaves etcd up until clean', async () => {
    const original = suiteRuns[1];
    expect(original, 'the suite ran').toBeDefined();
    const r = await faultline(['repro', original!, '--leave-db-running'], dir);
    expect(r.code, explain(r)).toBe(0);
    const runDir = r.stdout.match(/^\s*results: (.+)$/m)?.[1];
    expect(runDir).toBeDefined();
    expect(runDir).not.toBe(original);
    const [before, after] = [await testRecord(original!), await testRecord(runDir!)];
    expect(after.options).toEqual(before.options);
    expect([after.seed, after.nemesis]).toEqual([5, ['partition']]);
    expect(r.stdout).toContain(
      `left running: cluster ${CLUSTER} (netns); remove it with: faultline clean --name ${CLUSTER}`,
    );

    // Up and running, faults healed (no partition rule left), logs collected.
    expect((await processesWith(NODE_DIRS)).length).toBeGreaterThanOrEqual(3);
    expect(await hostRulesMentioning([CLUSTER, '10.245.1.'])).toEqual([]);
    expect((await readdir(path.join(runDir!, 'nodes'))).sort()).toEqual(['n1', 'n2', 'n3']);
    const clean = await faultline(['clean', '--name', CLUSTER], dir);
    expect(clean.code, explain(clean)).toBe(0);
    expect(await leftovers()).toEqual([]);
  }, 150_000);

  it('test --test-count 2 with --keep failed: seeds derived from the first, passing runs pruned', async () => {
    const junit = path.join(dir, 'repeat.xml');
    const args = ['test', '--workload', 'register', '--time-limit', '2', '--recovery-time', '1', '--seed', '9'];
    const cluster = ['--nodes', '3', '--concurrency', '1n', '--cluster', CLUSTER, '--subnet', SUBNET];
    const series = ['--test-count', '2', '--keep', 'failed', '--junit', junit, '--results-dir', 'repeat'];
    const r = await faultline([...args, ...cluster, ...series], dir);
    expect(r.code, explain(r)).toBe(0);
    expect(r.stdout).toContain('2 runs: 2 valid (exit 0)');
    expect(r.stdout).toMatch(/etcd-register \(1\/2\) +9 .*\(removed: passed\)/);
    expect(r.stdout).toMatch(new RegExp(`etcd-register \\(2/2\\) +${repeatSeed(9, 1)} .*\\(removed: passed\\)`));
    expect(existsSync(path.join(dir, 'repeat', 'etcd-register'))).toBe(false);
    const suites = ((await parse(await readFile(junit, 'utf8'))) as { testsuite?: TestSuite[] }).testsuite ?? [];
    expect(suites.map((s) => s.testcase?.[0]?.name)).toEqual([
      'etcd-register #1 (seed 9)',
      `etcd-register #2 (seed ${repeatSeed(9, 1)})`,
    ]);
    expect(await leftovers()).toEqual([]);
  }, 150_000);

  it('a suite file with a mistake: 254 naming the file and line, nothing run', async () => {
    await writeFile(
      path.join(dir, 'bad.yaml'),
      SUITE.replace('  nemesis: [none, partition]', '  nemesis: [none, partishun]'),
    );
    const r = await faultline(['suite', 'bad.yaml'], path.join(dir));
    expect(r.code, explain(r)).toBe(254);
    expect(r.stderr).toMatch(/bad\.yaml:14: unknown nemesis "partishun"/);
    expect(r.stdout).not.toMatch(/runs:/);
  });
});
