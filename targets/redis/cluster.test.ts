/**
 * The Redis target on a real 3-node cluster in network namespaces (cluster
 * "rpredis", subnet 10.244.12.0/24): setup and readiness, the clients of every
 * workload, failover after a kill, pause with WAIT, libfaketime's offset
 * seen through Redis's own TIME, teardown. The SUT runs under libfaketime
 * (offset 0 until a test moves it), as under the clock fault.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocal } from '../../harness/runtime/netns/run-local.js';
import { missing } from '../../harness/testing/requirements.js';
import { clockEnv, writeOffset } from '../../nemesis/clock/nemesis.js';
import type { Client } from '../../workloads/client.js';
import { hasClockSensitivity, hasPrimaries, isKillable, isPausable, type TargetContext } from '../target.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { serverTimeMs } from './admin.js';
import { dataDir, redisTarget } from './index.js';
import type { RedisOptions } from './options.js';

const needs = missing({
  root: true,
  commands: ['redis-server', 'redis-sentinel', 'ip', 'iptables', 'setsid', 'faketime'],
});
const never = () => new AbortController().signal;
const NODES = ['n1', 'n2', 'n3'];

describe.skipIf(needs)('Redis target on a 3-node netns cluster', () => {
  let cluster: TestCluster<RedisOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(redisTarget, {
      name: 'rpredis',
      nodes: 3,
      subnet: '10.244.12.0/24',
      nodeEnv: (runtime, node) => clockEnv({ runtime }, node),
      prepare: (runtime, node) => writeOffset(runtime, node, 0),
      readyTimeoutMs: 90_000,
    });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/tmp/faultline-rpredis');
    const ns = await runLocal(['ip', 'netns', 'list']);
    expect(ns.stdout).not.toContain('rpredis');
  });

  async function clientOn(node: string, workload: string, options: Partial<RedisOptions> = {}): Promise<Client> {
    const ctx: TargetContext<RedisOptions> = { ...cluster.ctx, options: { ...cluster.ctx.options, ...options } };
    const client = redisTarget.clients[workload as 'register']!(ctx, workload);
    await client.open(cluster.runtime.node(node));
    clients.push(client);
    return client;
  }

  it('has every capability, and honours libfaketime', () => {
    expect(isKillable(redisTarget) && isPausable(redisTarget) && hasPrimaries(redisTarget)).toBe(true);
    expect(hasClockSensitivity(redisTarget) && redisTarget.ignoresFaketime).toBeUndefined();
  });

  it('starts with the first node as the one primary', async () => {
    expect(await redisTarget.primaries(cluster.ctx)).toEqual(['n1']);
  });

  it('writes go to the primary from any node; reads from replicas see them once replicated', async () => {
    const n2 = await clientOn('n2', 'cas-register');
    expect(await n2.invoke({ process: 0, f: 'write', key: 'a', value: 4 }, never())).toEqual({
      type: 'ok',
      value: 4,
      node: 'n1',
    });
    expect(await n2.invoke({ process: 0, f: 'cas', key: 'a', value: [4, 1] }, never())).toEqual({
      type: 'ok',
      value: [4, 1],
      node: 'n1',
    });
    expect(await n2.invoke({ process: 0, f: 'cas', key: 'a', value: [4, 2] }, never())).toMatchObject({
      type: 'fail',
      error: 'compare failed',
    });
    const replicaReader = await clientOn('n3', 'session', { readFrom: 'own' });
    await expect
      .poll(async () => replicaReader.invoke({ process: 1, f: 'read', key: 'a' }, never()))
      .toEqual({ type: 'ok', value: 1, node: 'n3' });
    const set = await clientOn('n3', 'set');
    await set.invoke({ process: 2, f: 'add', value: 1 }, never());
    await set.invoke({ process: 2, f: 'add', value: 2 }, never());
    expect(await (await clientOn('n2', 'set')).invoke({ process: 3, f: 'read' }, never())).toEqual({
      type: 'ok',
      value: [1, 2],
      node: 'n1',
    });
    const anywhere = await clientOn('n1', 'register', { readFrom: 'any' });
    const served = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const read = await anywhere.invoke({ process: 4, f: 'read', key: 'a' }, never());
      expect(read.type).toBe('ok');
      served.add(read.node!);
    }
    expect([...served].every((n) => NODES.includes(n))).toBe(true);
    expect(served.size).toBeGreaterThan(1);
  });

  it('the primary moves libfaketime offsets into what TIME answers (and only on that node)', async () => {
    const skewed = async (node: string) => {
      const before = Date.now();
      const time = await serverTimeMs(cluster.runtime.node(node).address, cluster.ctx.options.redisPort);
      return time - (before + Date.now()) / 2;
    };
    try {
      await writeOffset(cluster.runtime, 'n2', 5_000);
      await expect.poll(() => skewed('n2'), { timeout: 5_000 }).toBeGreaterThan(4_000);
      expect(await skewed('n2')).toBeLessThan(6_000);
      expect(Math.abs(await skewed('n3'))).toBeLessThan(1_000);
      await writeOffset(cluster.runtime, 'n2', -3_000);
      await expect.poll(() => skewed('n2'), { timeout: 5_000 }).toBeLessThan(-2_000);
    } finally {
      for (const n of NODES) await writeOffset(cluster.runtime, n, 0);
    }
    expect(Math.abs(await skewed('n2'))).toBeLessThan(1_000);
  });

  it('a paused replica answers no reads, and a write that WAITs for it is indeterminate', async () => {
    const [primary] = await redisTarget.primaries(cluster.ctx);
    const replica = NODES.find((n) => n !== primary)!;
    const reader = await clientOn(replica, 'register', { readFrom: 'own' });
    expect((await reader.invoke({ process: 5, f: 'read', key: 'a' }, never())).type).toBe('ok');
    const waiting = await clientOn(replica, 'register', { waitReplicas: 2, waitTimeoutMs: 300 });
    expect(await waiting.invoke({ process: 6, f: 'write', key: 'w', value: 1 }, never())).toEqual({
      type: 'ok',
      value: 1,
      node: primary,
    });
    await redisTarget.pause(cluster.ctx, replica);
    try {
      const pid = await cluster.runtime.daemonPid(replica, 'redis');
      expect((await runLocal(['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`])).stdout.trim()).toBe('T');
      expect(await reader.invoke({ process: 5, f: 'read', key: 'a' }, AbortSignal.timeout(500))).toMatchObject({
        type: 'fail',
        node: replica,
      });
      expect(await waiting.invoke({ process: 6, f: 'write', key: 'w', value: 2 }, never())).toEqual({
        type: 'info',
        error: 'WAIT: 1 of 2 replicas acknowledged the write in time',
        node: primary,
      });
    } finally {
      await redisTarget.resume(cluster.ctx, replica);
    }
    await redisTarget.awaitReady(cluster.ctx, 60_000);
  }, 90_000);

  it('a killed primary is replaced by a replica; clients follow, and it comes back as a replica', async () => {
    const [old] = await redisTarget.primaries(cluster.ctx);
    const writer = await clientOn(NODES.find((n) => n !== old)!, 'register');
    await redisTarget.kill(cluster.ctx, old!);
    expect(await cluster.runtime.daemonRunning(old!, 'redis')).toBe(false);
    expect(await cluster.runtime.daemonRunning(old!, 'sentinel')).toBe(false);
    await redisTarget.kill(cluster.ctx, old!); // a no-op now
    await expect
      .poll(async () => (await redisTarget.primaries(cluster.ctx)).filter((n) => n !== old).length, {
        timeout: 40_000,
        interval: 500,
      })
      .toBe(1);
    const [next] = await redisTarget.primaries(cluster.ctx);
    await expect
      .poll(async () => writer.invoke({ process: 7, f: 'write', key: 'b', value: 3 }, AbortSignal.timeout(2_000)), {
        timeout: 20_000,
        interval: 500,
      })
      .toEqual({ type: 'ok', value: 3, node: next });
    await redisTarget.start(cluster.ctx, old!);
    await redisTarget.start(cluster.ctx, old!); // running: a no-op
    await redisTarget.awaitReady(cluster.ctx, 60_000);
    expect(await redisTarget.primaries(cluster.ctx)).toEqual([next]);
    const back = await clientOn(old!, 'register', { readFrom: 'own' });
    await expect
      .poll(async () => back.invoke({ process: 8, f: 'read', key: 'b' }, never()))
      .toEqual({
        type: 'ok',
        value: 3,
        node: old,
      });
  }, 150_000);

  it('teardown stops both daemons and wipes the data, keeps the logs, and is idempotent', async () => {
    await redisTarget.teardown(cluster.ctx, 'n3');
    await redisTarget.teardown(cluster.ctx, 'n3');
    expect(await cluster.runtime.daemonRunning('n3', 'redis')).toBe(false);
    expect(await cluster.runtime.daemonRunning('n3', 'sentinel')).toBe(false);
    expect(existsSync(dataDir(cluster.ctx, 'n3'))).toBe(false);
    const logs = redisTarget.logFiles(cluster.ctx, 'n3');
    expect(logs.every((f) => existsSync(f))).toBe(true);
  });
});
