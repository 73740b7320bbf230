import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { missing } from '../../testing/requirements.js';
import { cleanNetns } from './clean.js';
import { planLayout } from './layout.js';
import { listNamespaces } from './network.js';
import { runLocal } from './run-local.js';
import { type NetnsState, stateFile } from './state.js';

// Its own state dir: the other netns suites may run `clean --all` meanwhile.
const STATE_DIR = '/tmp/faultline-test-state-t3x';
const needs = missing({ root: true, commands: ['ip'] });

/** Namespaces of this suite's clusters (t3x and t3x-y) that exist now. */
async function ours(): Promise<string[]> {
  return (await listNamespaces()).filter((ns) => ns.startsWith('t3x-')).sort();
}

async function addNamespaces(...names: string[]): Promise<void> {
  for (const ns of names) {
    const result = await runLocal(['ip', 'netns', 'add', ns]);
    if (result.exitCode !== 0) throw new Error(`ip netns add ${ns}: ${result.stderr}`);
  }
}

/** Records `cluster` in a state file as owned by a live process (a `sleep`). */
async function recordLiveCluster(cluster: string, nodes: number | string[], owner: ChildProcess): Promise<void> {
  const layout = planLayout({ name: cluster, nodes, stateDir: STATE_DIR, baseDir: '/tmp/faultline-test-t3x' });
  const state: NetnsState = { kind: 'netns', layout, ownerPid: owner.pid!, createdAt: new Date().toISOString() };
  await mkdir(STATE_DIR, { recursive: true });
  await writeFile(stateFile(STATE_DIR, cluster), JSON.stringify(state));
}

describe.skipIf(needs)('cleanNetns --name', () => {
  let owner: ChildProcess;
  beforeAll(() => {
    owner = spawn('sleep', ['1000'], { stdio: 'ignore' });
  });
  afterEach(async () => {
    for (const ns of await ours()) await runLocal(['ip', 'netns', 'delete', ns]);
    await rm(STATE_DIR, { recursive: true, force: true });
  });
  afterAll(() => {
    owner.kill('SIGKILL');
  });

  it('removes only its own cluster, not t3x-y whose name it prefixes, even without a state file', async () => {
    await recordLiveCluster('t3x-y', 1, owner);
    await addNamespaces('t3x-hub', 't3x-n1', 't3x-n12', 't3x-y-hub', 't3x-y-n1');
    const report = await cleanNetns({ name: 't3x', stateDir: STATE_DIR }, silentLogger);
    expect(report).toEqual({ removed: ['netns leftovers of t3x: t3x-hub t3x-n1 t3x-n12'], skipped: [] });
    expect(await ours()).toEqual(['t3x-y-hub', 't3x-y-n1']);
    expect(existsSync(stateFile(STATE_DIR, 't3x-y'))).toBe(true);
  });

  it("leaves alone a namespace that another cluster's state file records", async () => {
    // Cluster t3x has a node named "y-hub": its namespace is also t3x-y's hub name.
    await recordLiveCluster('t3x', ['n1', 'y-hub'], owner);
    await addNamespaces('t3x-hub', 't3x-n1', 't3x-y-hub', 't3x-y-n1');
    const report = await cleanNetns({ name: 't3x-y', stateDir: STATE_DIR }, silentLogger);
    expect(report).toEqual({ removed: ['netns leftovers of t3x-y: t3x-y-n1'], skipped: [] });
    expect(await ours()).toEqual(['t3x-hub', 't3x-n1', 't3x-y-hub']);
  });

  it('skips a cluster whose owner runs, and sweeps nothing of it', async () => {
    await recordLiveCluster('t3x', 1, owner);
    await addNamespaces('t3x-hub', 't3x-n1');
    const report = await cleanNetns({ name: 't3x', stateDir: STATE_DIR }, silentLogger);
    expect(report.removed).toEqual([]);
    expect(report.skipped).toEqual([`netns cluster t3x: in use by running pid ${owner.pid} (use --force)`]);
    expect(await ours()).toEqual(['t3x-hub', 't3x-n1']);
  });
});
