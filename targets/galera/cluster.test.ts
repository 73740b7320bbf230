/**
 * The Galera target on real 3-node clusters in network namespaces (cluster
 * "gltest", subnet 10.247.20.0/24; the end-to-end run "glrun", 10.247.21.0/24):
 * the cluster forms, every node takes writes the others read, a killed node
 * rejoins, a survivor of a majority crash is made primary again when the others
 * restart, a cluster killed entirely comes back from the furthest node, a
 * short list-append run without faults is valid, and nothing is left behind.
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
import type { Client } from '../../workloads/client.js';
import { isKillable, isPausable } from '../target.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { wsrepStatus } from './admin.js';
import { galeraTarget } from './index.js';
import type { GaleraOptions } from './options.js';

const needs = missing({
  root: true,
  commands: ['mariadbd', 'mariadb', 'mariadb-install-db', 'rsync', 'ip', 'iptables', 'setsid'],
  paths: ['/usr/lib/galera/libgalera_smm.so'],
});
const never = () => new AbortController().signal;

describe.skipIf(needs)('galera target on a 3-node netns cluster', () => {
  let cluster: TestCluster<GaleraOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    // Causal reads (wsrep_sync_wait 1), so a read on one node sees what another committed just before.
    cluster = await startTestCluster(galeraTarget, {
      name: 'gltest',
      nodes: 3,
      subnet: '10.247.20.0/24',
      options: { syncWait: 1 },
      readyTimeoutMs: 120_000,
    });
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/tmp/faultline-gltest');
    const ns = await runLocal(['ip', 'netns', 'list']);
    expect(ns.stdout).not.toContain('gltest');
  }, 60_000);

  async function clientOn(node: string): Promise<Client> {
    const client = galeraTarget.clients['list-append'](cluster.ctx, 'list-append');
    await client.open(cluster.runtime.node(node));
    clients.push(client);
    return client;
  }

  it('can be killed and paused; every node is Primary and Synced in a cluster of 3', async () => {
    expect(isKillable(galeraTarget) && isPausable(galeraTarget)).toBe(true);
    for (const n of ['n1', 'n2', 'n3']) {
      expect(await wsrepStatus(cluster.ctx, n)).toMatchObject({
        clusterSize: 3,
        clusterStatus: 'Primary',
        localState: 'Synced',
        ready: true,
      });
    }
  });

  it('appends through every node are read through the others, in commit order', async () => {
    for (const [i, node] of ['n1', 'n2', 'n3'].entries()) {
      const c = await clientOn(node);
      expect(await c.invoke({ process: i, f: 'txn', value: [['append', 1, i + 1]] }, never())).toMatchObject({
        type: 'ok',
      });
    }
    const reader = await clientOn('n2');
    expect(await reader.invoke({ process: 9, f: 'txn', value: [['r', 1, null]] }, never())).toEqual({
      type: 'ok',
      value: [['r', 1, [1, 2, 3]]],
    });
  });

  it('a killed node refuses connections (fail), then rejoins with the writes it missed', async () => {
    await galeraTarget.kill(cluster.ctx, 'n3');
    expect(await cluster.runtime.daemonRunning('n3', 'mariadbd')).toBe(false);
    const onN3 = await clientOn('n3');
    const refused = await onN3.invoke({ process: 3, f: 'txn', value: [['append', 1, 9]] }, never());
    expect(refused).toMatchObject({ type: 'fail', error: expect.stringMatching(/^connect: /) });
    const c = await clientOn('n1');
    expect((await c.invoke({ process: 4, f: 'txn', value: [['append', 1, 4]] }, never())).type).toBe('ok');
    await galeraTarget.start(cluster.ctx, 'n3');
    await galeraTarget.awaitReady(cluster.ctx, 90_000);
    expect(await onN3.invoke({ process: 3, f: 'txn', value: [['r', 1, null]] }, never())).toEqual({
      type: 'ok',
      value: [['r', 1, [1, 2, 3, 4]]],
    });
  }, 120_000);

  it('with a majority killed the survivor loses quorum; restarting the two brings the cluster back', async () => {
    await galeraTarget.kill(cluster.ctx, 'n1');
    await galeraTarget.kill(cluster.ctx, 'n3');
    // The survivor notices within the failure-detection timeouts (a few seconds) and stops taking transactions.
    const survivor = await clientOn('n2');
    let lostQuorum = false;
    for (let i = 0; i < 40 && !lostQuorum; i++) {
      const answer = await survivor.invoke({ process: 6, f: 'txn', value: [['r', 1, null]] }, never());
      lostQuorum = answer.type === 'fail' && String(answer.error).includes('WSREP has not yet prepared node');
      if (!lostQuorum) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(lostQuorum).toBe(true);
    await Promise.all(['n1', 'n3'].map((n) => galeraTarget.start(cluster.ctx, n)));
    await galeraTarget.awaitReady(cluster.ctx, 90_000);
    expect(await survivor.invoke({ process: 6, f: 'txn', value: [['r', 1, null]] }, never())).toEqual({
      type: 'ok',
      value: [['r', 1, [1, 2, 3, 4]]],
    });
  }, 150_000);

  it('a cluster killed entirely comes back when its nodes are started, with every commit', async () => {
    for (const n of ['n1', 'n2', 'n3']) await galeraTarget.kill(cluster.ctx, n);
    await Promise.all(['n1', 'n2', 'n3'].map((n) => galeraTarget.start(cluster.ctx, n)));
    await galeraTarget.awaitReady(cluster.ctx, 120_000);
    const c = await clientOn('n2');
    expect(await c.invoke({ process: 5, f: 'txn', value: [['r', 1, null]] }, never())).toEqual({
      type: 'ok',
      value: [['r', 1, [1, 2, 3, 4]]],
    });
  }, 180_000);
});

describe.skipIf(needs)('faultline test against galera', () => {
  let resultsRoot: string;
  beforeAll(async () => {
    resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-glrun-'));
  });
  afterAll(async () => {
    await rm(resultsRoot, { recursive: true, force: true });
    // The run keeps its nodes' folders (for `faultline heal`); the logs are in the results, so remove them.
    await rm('/var/lib/faultline/glrun', { recursive: true, force: true });
  });

  it('a short list-append run without faults, at snapshot isolation, is valid; nothing is left behind', async () => {
    const config = mergeFlags(defaultConfig(), {
      target: 'galera',
      workload: 'list-append',
      nodes: 3,
      cluster: 'glrun',
      subnet: '10.247.21.0/24',
      nemesis: 'none',
      concurrency: 4,
      timeLimit: 8,
      seed: 12,
      resultsDir: resultsRoot,
    });
    config.test.targetOptions = { snapshotIsolation: true };
    config.test.workloadOptions = {
      consistencyModels: galeraTarget.consistencyModels({
        isolation: 'repeatable-read',
        snapshotIsolation: true,
        syncWait: 0,
        sqlPort: 3306,
      }),
    };
    const outcome = await runTest(config, resolveTestOptions(config, { recoverySeconds: 1 }), silentLogger);
    const results = JSON.parse(await readFile(path.join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).toBe(true);
    const history = await readFile(path.join(outcome.runDir, 'history.jsonl'), 'utf8');
    expect(history).toMatch(/"type":"ok","process":\d+,"f":"txn"/);
    expect(await netnsLeftovers('glrun', '/var/lib/faultline/glrun/')).toEqual([]);
  }, 240_000);
});
