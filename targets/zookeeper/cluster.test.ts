/**
 * The ZooKeeper target on a real 3-server ensemble in network namespaces
 * (cluster "rpzk", subnet 10.244.13.0/24): readiness, the clients (sync,
 * cas at a version), libfaketime's offset seen in the mtime the leader
 * stamps on a znode, pause, a killed leader replaced, teardown. Then whole
 * `faultline test` runs of register without faults, with and without sync
 * (cluster "rpzkrun", 10.244.14.0/24). Nothing of either cluster may be left.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, mergeFlags } from '../../harness/config/load.js';
import { silentLogger } from '../../harness/log.js';
import { resolveTestOptions } from '../../harness/run/options.js';
import { runTest } from '../../harness/run/run-test.js';
import { hostRulesMentioning, netnsLeftovers } from '../../harness/runtime/netns/leftovers.js';
import { runLocal } from '../../harness/runtime/netns/run-local.js';
import { missing } from '../../harness/testing/requirements.js';
import { clockEnv, writeOffset } from '../../nemesis/clock/nemesis.js';
import type { Client } from '../../workloads/client.js';
import { hasClockSensitivity, hasPrimaries, isKillable, isPausable, type TargetContext } from '../target.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { pathFor } from './clients/register.js';
import { dataDir, zookeeperTarget } from './index.js';
import type { ZookeeperOptions } from './options.js';

const needs = missing({
  root: true,
  commands: ['java', 'ip', 'iptables', 'iptables-save', 'setsid', 'faketime'],
  paths: ['/usr/share/java/zookeeper.jar'],
});
const never = () => new AbortController().signal;
const NODES = ['n1', 'n2', 'n3'];

/** The mtime (ms since the epoch, as the leader's clock had it) of a znode, read on the server at address. */
async function mtimeOf(address: string, znode: string): Promise<number> {
  const client = zookeeper.createClient(`${address}:2181`, { sessionTimeout: 4_000, retries: 0 });
  try {
    client.connect();
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no stat of ${znode} from ${address}`)), 5_000);
      client.once('connected', () =>
        client.exists(znode, (err, stat) => {
          clearTimeout(timer);
          if (err || !stat) reject(err ?? new Error(`${znode} does not exist`));
          else resolve(Number(stat.mtime.readBigInt64BE(0)));
        }),
      );
    });
  } finally {
    client.close();
  }
}

describe.skipIf(needs)('ZooKeeper target on a 3-server netns ensemble', () => {
  let cluster: TestCluster<ZookeeperOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(zookeeperTarget, {
      name: 'rpzk',
      nodes: 3,
      subnet: '10.244.13.0/24',
      nodeEnv: (runtime, node) => clockEnv({ runtime }, node),
      prepare: (runtime, node) => writeOffset(runtime, node, 0),
      // JVMs under libfaketime are slow to start (faketime-env.ts): 145 s on a loaded two-core host.
      readyTimeoutMs: 240_000,
    });
  }, 270_000);
  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
    expect((await runLocal(['ps', '-eo', 'args'])).stdout).not.toContain('/tmp/faultline-rpzk/');
    expect((await runLocal(['ip', 'netns', 'list'])).stdout).not.toMatch(/\brpzk\b/);
  }, 60_000);

  async function clientOn(node: string, workload: string, options: Partial<ZookeeperOptions> = {}): Promise<Client> {
    const ctx: TargetContext<ZookeeperOptions> = { ...cluster.ctx, options: { ...cluster.ctx.options, ...options } };
    const client = zookeeperTarget.clients[workload as 'register']!(ctx, workload);
    await client.open(cluster.runtime.node(node));
    clients.push(client);
    return client;
  }
  /** An op, retried until the session is connected (a fresh session takes a moment). */
  const settled = (client: Client, op: Parameters<Client['invoke']>[0]) =>
    expect.poll(() => client.invoke(op, AbortSignal.timeout(3_000)), { timeout: 15_000, interval: 200 });

  it('has every capability, and does not claim to ignore libfaketime', () => {
    expect(isKillable(zookeeperTarget) && isPausable(zookeeperTarget) && hasPrimaries(zookeeperTarget)).toBe(true);
    expect(hasClockSensitivity(zookeeperTarget) && zookeeperTarget.ignoresFaketime).toBeUndefined();
  });

  it('names exactly one leader', async () => {
    const leaders = await zookeeperTarget.primaries(cluster.ctx);
    expect(leaders).toHaveLength(1);
    expect(NODES).toContain(leaders[0]);
  });

  it('a write through one server is read through another after sync; cas goes by the version read', async () => {
    const n1 = await clientOn('n1', 'cas-register');
    await settled(n1, { process: 0, f: 'write', key: 1, value: 4 }).toEqual({ type: 'ok', value: 4 });
    const n3 = await clientOn('n3', 'register', { sync: true });
    await settled(n3, { process: 1, f: 'read', key: 1 }).toEqual({ type: 'ok', value: 4 });
    expect(await n1.invoke({ process: 0, f: 'cas', key: 1, value: [4, 5] }, never())).toEqual({
      type: 'ok',
      value: [4, 5],
    });
    expect(await n1.invoke({ process: 0, f: 'cas', key: 1, value: [4, 6] }, never())).toEqual({
      type: 'fail',
      value: [4, 6],
      error: 'compare failed',
    });
    expect(await n3.invoke({ process: 1, f: 'read', key: 1 }, never())).toEqual({ type: 'ok', value: 5 });
    expect(await n3.invoke({ process: 1, f: 'read', key: 'never written' }, never())).toEqual({
      type: 'ok',
      value: null,
    });
    expect(await n1.invoke({ process: 0, f: 'cas', key: 2, value: [null, 1] }, never())).toEqual({
      type: 'ok',
      value: [null, 1],
    });
    expect((await n3.invoke({ process: 1, f: 'cas', key: 1, value: [5, 6] }, never())).error).toMatch(/no operation/);
  });

  it("the leader's libfaketime offset is in the mtime it stamps on a znode (and a follower's is not)", async () => {
    const [leader] = await zookeeperTarget.primaries(cluster.ctx);
    const follower = NODES.find((n) => n !== leader)!;
    const writer = await clientOn(follower, 'register');
    let writes = 0;
    /** How far the mtime of a fresh write is ahead of the controller's clock. */
    const skewOfWrite = async (): Promise<number> => {
      const key = `clock${writes++}`;
      const before = Date.now();
      await settled(writer, { process: 2, f: 'write', key, value: 1 }).toMatchObject({ type: 'ok' });
      return (await mtimeOf(cluster.runtime.node(follower).address, pathFor(key))) - before;
    };
    // The servers read the offset file at most once a second (faketime-env.ts): wait out the cache.
    const afterCache = () => new Promise((resolve) => setTimeout(resolve, 1_500));
    /** The skew of fresh writes once `settled` holds for one (CI's load can delay the re-read past 1.5 s), or the last one after 15 s. */
    const skewOnce = async (settled: (skew: number) => boolean): Promise<number> => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const skew = await skewOfWrite();
        if (settled(skew) || Date.now() > deadline) return skew;
        await afterCache();
      }
    };
    try {
      expect(Math.abs(await skewOfWrite())).toBeLessThan(2_000);
      await writeOffset(cluster.runtime, follower, 60_000);
      await afterCache();
      expect(Math.abs(await skewOfWrite())).toBeLessThan(2_000);
      await writeOffset(cluster.runtime, leader!, 60_000);
      await afterCache();
      const skew = await skewOnce((s) => s > 58_000);
      expect(skew).toBeGreaterThan(58_000);
      expect(skew).toBeLessThan(63_000);
    } finally {
      for (const n of NODES) await writeOffset(cluster.runtime, n, 0);
    }
    await afterCache();
    expect(Math.abs(await skewOnce((s) => Math.abs(s) < 2_000))).toBeLessThan(2_000);
    expect(await zookeeperTarget.primaries(cluster.ctx)).toEqual([leader]);
  }, 60_000);

  it('a paused follower answers nothing (reads fail, writes are info), and serves again after resume', async () => {
    const [leader] = await zookeeperTarget.primaries(cluster.ctx);
    const follower = NODES.find((n) => n !== leader)!;
    const client = await clientOn(follower, 'register');
    await settled(client, { process: 3, f: 'read', key: 1 }).toMatchObject({ type: 'ok' });
    await zookeeperTarget.pause(cluster.ctx, follower);
    try {
      expect(await client.invoke({ process: 3, f: 'read', key: 1 }, AbortSignal.timeout(500))).toEqual({
        type: 'fail',
        error: 'timed out',
      });
      expect(await client.invoke({ process: 3, f: 'write', key: 1, value: 9 }, AbortSignal.timeout(500))).toEqual({
        type: 'info',
        error: 'timed out',
      });
    } finally {
      await zookeeperTarget.resume(cluster.ctx, follower);
    }
    await zookeeperTarget.awaitReady(cluster.ctx, 60_000);
    await settled(client, { process: 4, f: 'read', key: 'after pause' }).toEqual({ type: 'ok', value: null });
  }, 90_000);

  it('a killed leader is replaced; it comes back as a follower with the writes it missed', async () => {
    const [old] = await zookeeperTarget.primaries(cluster.ctx);
    await zookeeperTarget.kill(cluster.ctx, old!);
    expect(await cluster.runtime.daemonRunning(old!, 'zookeeper')).toBe(false);
    await zookeeperTarget.kill(cluster.ctx, old!); // a no-op now
    await expect
      .poll(async () => (await zookeeperTarget.primaries(cluster.ctx)).filter((n) => n !== old), {
        timeout: 40_000,
        interval: 500,
      })
      .toHaveLength(1);
    const [next] = await zookeeperTarget.primaries(cluster.ctx);
    const writer = await clientOn(next!, 'register');
    await settled(writer, { process: 5, f: 'write', key: 'missed', value: 7 }).toEqual({ type: 'ok', value: 7 });
    await zookeeperTarget.start(cluster.ctx, old!);
    await zookeeperTarget.start(cluster.ctx, old!); // running: a no-op
    await zookeeperTarget.awaitReady(cluster.ctx, 60_000);
    expect(await zookeeperTarget.primaries(cluster.ctx)).toEqual([next]);
    const back = await clientOn(old!, 'register', { sync: true });
    await settled(back, { process: 6, f: 'read', key: 'missed' }).toEqual({ type: 'ok', value: 7 });
  }, 150_000);

  it('teardown stops the server and wipes its data, keeps the log, and is idempotent', async () => {
    await zookeeperTarget.teardown(cluster.ctx, 'n3');
    await zookeeperTarget.teardown(cluster.ctx, 'n3');
    expect(await cluster.runtime.daemonRunning('n3', 'zookeeper')).toBe(false);
    expect(existsSync(dataDir(cluster.ctx, 'n3'))).toBe(false);
    expect(zookeeperTarget.logFiles(cluster.ctx, 'n3').every((f) => existsSync(f))).toBe(true);
  });
});

describe.skipIf(needs)('faultline test: ZooKeeper register without faults', () => {
  const cluster = 'rpzkrun';
  const subnet = '10.244.14.0/24';
  let resultsDir: string;
  beforeAll(async () => {
    resultsDir = await mkdtemp(path.join(os.tmpdir(), 'faultline-zk-run-'));
  });
  afterAll(async () => {
    await rm(resultsDir, { recursive: true, force: true });
    // A run keeps its nodes' data for `faultline clean`; the test removes it.
    await rm(`/var/lib/faultline/${cluster}`, { recursive: true, force: true });
  });

  // Without sync a follower may answer from behind the leader even with no fault (ZooKeeper's reads are only
  // sequentially consistent; a CI run saw one such stale read): that run must finish with a verdict, not be valid.
  for (const sync of [false, true]) {
    it(`${sync ? 'is valid with sync' : 'gives a verdict without sync'}, and leaves nothing behind`, async () => {
      const config = mergeFlags(defaultConfig(), {
        target: 'zookeeper',
        workload: 'register',
        nodes: 3,
        cluster,
        subnet,
        concurrency: 4,
        timeLimit: 8,
        seed: 13,
        resultsDir,
      });
      config.test.targetOptions = { sync };
      const { results, runDir } = await runTest(
        config,
        resolveTestOptions(config, { recoverySeconds: 1, opTimeoutMs: 2_000 }),
        silentLogger,
      );
      const verdicts = sync ? [true] : [true, false];
      expect(verdicts, `${runDir}: ${JSON.stringify(results.checker).slice(0, 1_000)}`).toContain(results.valid);
      expect(results.stats.counts.read?.ok ?? 0).toBeGreaterThan(10);
      expect(results.stats.counts.write?.ok ?? 0).toBeGreaterThan(10);
      expect([
        ...(await netnsLeftovers(cluster, `/var/lib/faultline/${cluster}/`)),
        ...(await hostRulesMentioning([cluster, '10.244.14.'])),
      ]).toEqual([]);
    }, 150_000);
  }
});
