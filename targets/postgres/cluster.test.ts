/**
 * The PostgreSQL target on a real 3-node netns cluster (cluster "pgt",
 * subnet 10.246.10.0/24; the end-to-end run: "pge", 10.246.11.0/24): clients
 * through the primary and the forwarders, kill and restart, pause, the
 * clock offset read back with SELECT now(), a short serializable
 * list-append run that is valid, and nothing left behind.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, mergeFlags } from '../../harness/config/load.js';
import { silentLogger } from '../../harness/log.js';
import type { RunResults } from '../../harness/results/results.js';
import { resolveTestOptions } from '../../harness/run/options.js';
import { runTest } from '../../harness/run/run-test.js';
import { netnsLeftovers } from '../../harness/runtime/netns/leftovers.js';
import { runLocal } from '../../harness/runtime/netns/run-local.js';
import { missing } from '../../harness/testing/requirements.js';
import { clockEnv, healClock, writeOffset } from '../../nemesis/clock/nemesis.js';
import type { Client } from '../../workloads/client.js';
import { hasClockSensitivity, hasPrimaries, hasTransactionalModels, isKillable, isPausable } from '../target.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { postgresTarget } from './index.js';
import type { PostgresOptions } from './options.js';
import { probe } from './probe.js';

const needs = missing({
  root: true,
  commands: ['ip', 'iptables', 'setsid', 'setpriv', 'socat'],
  paths: ['/usr/lib/postgresql', '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1'],
});
const never = () => new AbortController().signal;

describe.skipIf(needs)('postgres target on a 3-node netns cluster', () => {
  let cluster: TestCluster<PostgresOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(postgresTarget, {
      name: 'pgt',
      nodes: 3,
      subnet: '10.246.10.0/24',
      workloadOptions: { concurrency: 1, keys: 3, totalAmount: 30 } as never,
      // The server runs under libfaketime from the start, at offset 0.
      nodeEnv: (runtime, node) => clockEnv({ runtime }, node),
      prepare: (runtime, node) => healClock(runtime, [node]),
    });
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/tmp/faultline-pgt');
    expect(ps.stdout).not.toContain('bind=10.246.10.');
    expect(await netnsLeftovers('pgt')).toEqual([]);
  });

  async function clientOn(node: string, workload: 'list-append' | 'bank'): Promise<Client> {
    const client = postgresTarget.clients[workload](cluster.ctx);
    await client.open(cluster.runtime.node(node));
    clients.push(client);
    return client;
  }
  const append = (key: number, value: number) => ({ process: 0, f: 'txn', value: [['append', key, value]] });
  const read = (key: number) => ({ process: 1, f: 'txn', value: [['r', key, null]] });

  it('has its capabilities, and promises the models of its isolation level', () => {
    expect(isKillable(postgresTarget) && isPausable(postgresTarget) && hasPrimaries(postgresTarget)).toBe(true);
    expect(hasClockSensitivity(postgresTarget) && postgresTarget.ignoresFaketime === undefined).toBe(true);
    expect(hasTransactionalModels(postgresTarget) && postgresTarget.consistencyModels(cluster.ctx.options)).toEqual([
      'serializable',
    ]);
  });

  it('an append through a forwarder is read through the primary and the other forwarder', async () => {
    const n2 = await clientOn('n2', 'list-append');
    expect(await n2.invoke(append(1, 7), never())).toEqual({ type: 'ok', value: [['append', 1, 7]] });
    expect(await n2.invoke(append(1, 8), never())).toMatchObject({ type: 'ok' });
    for (const node of ['n1', 'n3']) {
      const c = await clientOn(node, 'list-append');
      expect(await c.invoke(read(1), never())).toEqual({ type: 'ok', value: [['r', 1, [7, 8]]] });
      expect(await c.invoke(read(99), never())).toEqual({ type: 'ok', value: [['r', 99, []]] });
    }
  });

  it('bank: the first client creates the accounts; a transfer the source cannot pay fails', async () => {
    const bank = await clientOn('n3', 'bank');
    expect(await bank.invoke({ process: 2, f: 'read', value: null }, never())).toEqual({
      type: 'ok',
      value: { '0': 10, '1': 10, '2': 10 },
    });
    const move = { from: 0, to: 2, amount: 4 };
    expect(await bank.invoke({ process: 2, f: 'transfer', value: move }, never())).toEqual({ type: 'ok', value: move });
    const broke = await bank.invoke({ process: 2, f: 'transfer', value: { from: 0, to: 1, amount: 50 } }, never());
    expect(broke).toMatchObject({ type: 'fail', error: 'insufficient funds: 6 < 50' });
    const other = await clientOn('n1', 'bank');
    expect(await other.invoke({ process: 3, f: 'read', value: null }, never())).toEqual({
      type: 'ok',
      value: { '0': 6, '1': 10, '2': 14 },
    });
  });

  it('a killed primary refuses (a definite fail), restarts on its data, and leaves no backend behind', async () => {
    const c = await clientOn('n3', 'list-append');
    expect(await postgresTarget.primaries(cluster.ctx)).toEqual(['n1']);
    await postgresTarget.kill(cluster.ctx, 'n1');
    expect(await postgresTarget.primaries(cluster.ctx)).toEqual([]);
    const ps = await runLocal(['ps', '-u', 'postgres', '-o', 'args=']);
    expect(ps.stdout).not.toContain('/tmp/faultline-pgt');
    expect(ps.stdout).not.toMatch(/postgres: .*faultline/);
    const refused = await c.invoke(append(1, 9), never());
    expect(refused.type).toBe('fail');
    await postgresTarget.start(cluster.ctx, 'n1');
    await postgresTarget.awaitReady(cluster.ctx, 30_000);
    expect(await c.invoke(read(1), never())).toEqual({ type: 'ok', value: [['r', 1, [7, 8]]] });
  });

  it('a paused primary times out a transaction; after resume it serves again', async () => {
    const c = await clientOn('n1', 'list-append');
    // Connected first, so the append below hangs in its transaction rather than while connecting.
    expect(await c.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, []]] });
    await postgresTarget.pause(cluster.ctx, 'n1');
    try {
      const timeout = AbortSignal.timeout(1_000);
      const stuck = await c.invoke(append(2, 1), timeout);
      // Cut off before COMMIT was sent (BEGIN or the upsert hung): rolled back by the server.
      expect(stuck).toMatchObject({ type: 'fail', error: 'timed out before COMMIT' });
    } finally {
      await postgresTarget.resume(cluster.ctx, 'n1');
    }
    expect(await c.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, []]] });
  });

  it('the clock offset takes effect: SELECT now() is 5 s ahead, then back', async () => {
    const skew = async () => {
      const before = Date.now();
      const rows = await probe(cluster.runtime.node('n1'), 5432, ['SELECT now() AS now']);
      const after = Date.now();
      return (rows[0]!.now as Date).getTime() - (before + after) / 2;
    };
    expect(Math.abs(await skew())).toBeLessThan(250);
    await writeOffset(cluster.runtime, 'n1', 5_000);
    try {
      expect(Math.abs((await skew()) - 5_000)).toBeLessThan(250);
    } finally {
      await writeOffset(cluster.runtime, 'n1', 0);
    }
    expect(Math.abs(await skew())).toBeLessThan(250);
  });
});

describe.skipIf(needs)('faultline test --target postgres (netns)', () => {
  let resultsRoot: string;
  beforeAll(async () => {
    resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-pge-'));
  });
  afterAll(async () => {
    await rm(resultsRoot, { recursive: true, force: true });
  });

  it('serializable list-append without faults: valid', async () => {
    const config = mergeFlags(defaultConfig(), {
      nodes: 3,
      cluster: 'pge',
      subnet: '10.246.11.0/24',
      target: 'postgres',
      workload: 'list-append',
      concurrency: 4,
      timeLimit: 8,
      seed: 12,
      resultsDir: resultsRoot,
    });
    config.runtime.netns = { ...config.runtime.netns, removeNodeDirs: true };
    const options = resolveTestOptions(config, { recoverySeconds: 1 });
    const outcome = await runTest(config, options, silentLogger);
    const results = JSON.parse(await readFile(path.join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).toBe(true);
    expect(results.checker).toMatchObject({ consistencyModels: ['serializable'], anomalyTypes: [] });
    expect(results.stats.counts.txn?.ok).toBeGreaterThan(50);
    expect(await netnsLeftovers('pge', '/var/lib/faultline/pge/')).toEqual([]);
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/var/lib/faultline/pge/');
  }, 120_000);
});
