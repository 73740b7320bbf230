import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { missing } from '../../testing/requirements.js';
import { cleanNetns } from './clean.js';
import { DATA_MARKER } from './data-dir.js';
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

describe.skipIf(needs)('cleanNetns and the node data directories', () => {
  // Clusters hst-d*, in a base directory of their own: /var/lib/faultline is shared with other suites.
  let base: string;
  let owner: ChildProcess;
  const marked = async (cluster: string, ownerPid: number) => {
    await mkdir(path.join(base, cluster, 'n1'), { recursive: true });
    await writeFile(path.join(base, cluster, 'n1', 'etcd.log'), 'x'.repeat(1000));
    await writeFile(path.join(base, cluster, DATA_MARKER), JSON.stringify({ cluster, ownerPid, createdAt: '' }));
  };
  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'faultline-clean-data-'));
    owner = spawn('sleep', ['1000'], { stdio: 'ignore' });
  });
  afterAll(async () => {
    owner.kill('SIGKILL');
    await rm(base, { recursive: true, force: true });
    await rm(STATE_DIR, { recursive: true, force: true });
  });

  it('--name removes the marked directory, unless keepData, and leaves an unmarked one with a note', async () => {
    await marked('hst-d1', 0);
    const kept = await cleanNetns({ name: 'hst-d1', baseDir: base, stateDir: STATE_DIR, keepData: true }, silentLogger);
    expect(kept).toEqual({ removed: [], skipped: [] });
    expect(existsSync(path.join(base, 'hst-d1', 'n1', 'etcd.log'))).toBe(true);
    const removed = await cleanNetns({ name: 'hst-d1', baseDir: base, stateDir: STATE_DIR }, silentLogger);
    expect(removed.removed).toEqual([`netns cluster hst-d1: node data ${path.join(base, 'hst-d1')}`]);
    expect(existsSync(path.join(base, 'hst-d1'))).toBe(false);

    await mkdir(path.join(base, 'hst-d2'));
    const unmarked = await cleanNetns({ name: 'hst-d2', baseDir: base, stateDir: STATE_DIR }, silentLogger);
    expect(unmarked.skipped).toEqual([
      `${path.join(base, 'hst-d2')}: has no ${DATA_MARKER} (not made by this faultline); remove it by hand if it is`,
    ]);
    expect(existsSync(path.join(base, 'hst-d2'))).toBe(true);
  });

  it('--all removes every marked directory whose controller is gone, and no other', async () => {
    await marked('hst-d3', 0);
    await marked('hst-d4', owner.pid!);
    await mkdir(path.join(base, 'heal', 'hst-d3'), { recursive: true });
    const report = await cleanNetns({ all: true, baseDir: base, stateDir: STATE_DIR }, silentLogger);
    expect(report.removed).toEqual([`netns cluster hst-d3: node data ${path.join(base, 'hst-d3')}`]);
    expect(report.skipped).toEqual([
      `node data ${path.join(base, 'hst-d4')}: in use by running pid ${owner.pid} (use --force)`,
    ]);
    expect((await readdir(base)).sort()).toEqual(['heal', 'hst-d2', 'hst-d4']);
    const forced = await cleanNetns({ all: true, force: true, baseDir: base, stateDir: STATE_DIR }, silentLogger);
    expect(forced.removed).toEqual([`netns cluster hst-d4: node data ${path.join(base, 'hst-d4')}`]);
  });
});
