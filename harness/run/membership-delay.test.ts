/**
 * `faultline test` end to end with the delay and membership faults on a
 * 5-node etcd cluster in network namespaces (t16d, 10.243.5.0/24; t16m,
 * 10.243.6.0/24): valid with linearizable reads, the faults' windows (in
 * words) in results.json, and nothing left behind.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EtcdGateway } from '../../targets/etcd/gateway.js';
import { defaultConfig, mergeFlags } from '../config/load.js';
import { silentLogger } from '../log.js';
import type { RunResults } from '../results/results.js';
import { netnsLeftovers } from '../runtime/netns/leftovers.js';
import { missing } from '../testing/requirements.js';
import { resolveTestOptions } from './options.js';
import { runTest } from './run-test.js';

const needs = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'setsid'], paths: ['build/faultline-delay'] });

let resultsRoot: string;
beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-t16-'));
});
afterAll(async () => {
  await rm(resultsRoot, { recursive: true, force: true });
});

async function runWith(cluster: string, subnet: string, nemesis: string, nemesisOptions = {}) {
  const config = mergeFlags(defaultConfig(), {
    nodes: 5,
    cluster,
    subnet,
    nemesis,
    concurrency: 5,
    timeLimit: 20,
    nemesisInterval: 3,
    seed: 16,
    resultsDir: resultsRoot,
  });
  config.test.nemesisOptions = nemesisOptions;
  const options = resolveTestOptions(config, { recoverySeconds: 5, opTimeoutMs: 3_000 });
  const outcome = await runTest(config, options, silentLogger);
  const results = JSON.parse(await readFile(path.join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
  expect(await netnsLeftovers(cluster, `/var/lib/faultline/${cluster}/`)).toEqual([]);
  return results;
}

describe.skipIf(needs)('etcd under delay and membership changes', () => {
  it('delay 100 ms ± 50 ms with partitions: valid, with the delay windows recorded', async () => {
    const results = await runWith('t16d', '10.243.5.0/24', 'delay,partition', {
      delay: { delayMs: 100, jitterMs: 50 },
    });
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).toBe(true);
    const delays = results.faults.filter((w) => w.fault === 'delay');
    expect(delays.length).toBeGreaterThan(0);
    expect(delays[0]!.text).toMatch(/^100 ± 50 ms on \d+ link\(s\)/);
  }, 240_000);

  it('membership changes with partitions: valid, each change and the members after it recorded', async () => {
    const results = await runWith('t16m', '10.243.6.0/24', 'membership,partition');
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).toBe(true);
    const changes = results.faults.filter((w) => w.fault === 'membership');
    expect(changes.length).toBeGreaterThan(0);
    expect(changes[0]!.text).toMatch(/^removed (n\d ?)+, members (n\d ?)+$/);
  }, 240_000);

  it('a controller SIGKILLed with members removed: `faultline heal` adds them back', async () => {
    const cluster = 't16k';
    const healRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-t16k-heal-'));
    const env = { ...process.env, FAULTLINE_HEAL_ROOT: healRoot };
    // A long interval: the member must still be out when the controller dies (the add comes an interval later).
    const args = ['test', '--nemesis', 'membership', '--nemesis-interval', '20', '--time-limit', '120'];
    args.push('--nodes', '5', '--cluster', cluster, '--subnet', '10.243.7.0/24', '--results-dir', resultsRoot);
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      // Kill the controller outright once a member is out: recorded in the heal state and gone from the
      // member list. Not after a fixed wait: the add that follows is staggered (0 to 2 intervals later),
      // so it can come within seconds, and the member would be back before the kill.
      const record = path.join(healRoot, cluster, 'membership.json');
      const memberOut = async () => (await removedIn(record)) && (await liveMembers()).length === 4;
      for (let i = 0; i < 400 && !exited && !(await memberOut()); i++) await sleep(250);
      expect(exited, `the run ended before a member was out: ${stderr}`).toBe(false);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('close', resolve));

      const heal = await run(BIN, ['heal', '--cluster', cluster], env);
      expect(heal.stdout, heal.stderr).toMatch(/added (n\d, )*n\d back as members of the etcd cluster/);
      const members = await etcdMembers('10.243.7.2');
      expect(members.sort()).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    } finally {
      child.kill('SIGKILL');
      await run(BIN, ['clean', '--name', cluster, '--force'], env);
      await rm(healRoot, { recursive: true, force: true });
    }
    expect(await netnsLeftovers(cluster, `/var/lib/faultline/${cluster}/`)).toEqual([]);
  }, 300_000);
});

const BIN = fileURLToPath(new URL('../../bin/faultline.js', import.meta.url));

async function removedIn(file: string): Promise<boolean> {
  try {
    const record = JSON.parse(await readFile(file, 'utf8')) as { removed?: unknown[] };
    return Array.isArray(record.removed) && record.removed.length > 0;
  } catch {
    return false;
  }
}

function run(
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The member names the first node that answers lists ([] when none does): a removed member's etcd is stopped. */
async function liveMembers(): Promise<string[]> {
  for (let i = 2; i <= 6; i++) {
    const members = await etcdMembers(`10.243.7.${i}`).catch(() => undefined);
    if (members !== undefined) return members;
  }
  return [];
}

/** The member names a node's etcd lists (the netns hub routes the host to the nodes). */
async function etcdMembers(address: string): Promise<string[]> {
  const gateway = new EtcdGateway(`http://${address}:2379`);
  try {
    return (await gateway.members(AbortSignal.timeout(5_000))).map((m) => m.name);
  } finally {
    gateway.close();
  }
}
