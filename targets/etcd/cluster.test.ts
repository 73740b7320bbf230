/**
 * The etcd target on a real 3-node cluster in network namespaces
 * (cluster "t7etcd", subnet 10.231.3.0/24).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLocal } from '../../harness/runtime/netns/run-local.js';
import { missing } from '../../harness/testing/requirements.js';
import type { Client } from '../../workloads/client.js';
import { hasClockSensitivity, hasPrimaries, isKillable, isPausable } from '../target.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { dataDir, etcdTarget } from './index.js';
import type { EtcdOptions } from './options.js';

const needs = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'setsid'] });
const never = () => new AbortController().signal;

describe.skipIf(needs)('etcd target on a 3-node netns cluster', () => {
  let cluster: TestCluster<EtcdOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(etcdTarget, { name: 't7etcd', nodes: 3, subnet: '10.231.3.0/24' });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
    // Nothing of ours is left: no etcd with our data dirs, no namespaces.
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/tmp/faultline-t7etcd');
    const ns = await runLocal(['ip', 'netns', 'list']);
    expect(ns.stdout).not.toContain('t7etcd');
  });

  async function clientOn(node: string, workload = 'cas-register'): Promise<Client> {
    const client = etcdTarget.clients[workload as 'register']!(cluster.ctx, workload);
    await client.open(cluster.runtime.node(node));
    clients.push(client);
    return client;
  }

  it('has every capability', () => {
    expect(
      isKillable(etcdTarget) && isPausable(etcdTarget) && hasPrimaries(etcdTarget) && hasClockSensitivity(etcdTarget),
    ).toBe(true);
    expect(etcdTarget.ignoresFaketime).toMatch(/vDSO/);
  });

  it('names exactly one leader among the nodes', async () => {
    const leaders = await etcdTarget.primaries(cluster.ctx);
    expect(leaders).toHaveLength(1);
    expect(['n1', 'n2', 'n3']).toContain(leaders[0]);
  });

  it('a write through one node is read through the others', async () => {
    const n1 = await clientOn('n1');
    expect(await n1.invoke({ process: 0, f: 'write', key: 'a', value: 4 }, never())).toEqual({ type: 'ok', value: 4 });
    for (const node of ['n2', 'n3']) {
      const c = await clientOn(node);
      expect(await c.invoke({ process: 1, f: 'read', key: 'a' }, never())).toEqual({ type: 'ok', value: 4 });
    }
    expect(await n1.invoke({ process: 0, f: 'cas', key: 'a', value: [4, 1] }, never())).toEqual({
      type: 'ok',
      value: [4, 1],
    });
    const set = await clientOn('n2', 'set');
    await set.invoke({ process: 2, f: 'add', value: 1 }, never());
    await set.invoke({ process: 2, f: 'add', value: 2 }, never());
    expect(await (await clientOn('n3', 'set')).invoke({ process: 3, f: 'read' }, never())).toEqual({
      type: 'ok',
      value: [1, 2],
    });
  });

  it('a killed leader is replaced, and comes back with the writes it missed', async () => {
    const [leader] = await etcdTarget.primaries(cluster.ctx);
    await etcdTarget.kill(cluster.ctx, leader!);
    expect(await cluster.runtime.daemonRunning(leader!, 'etcd')).toBe(false);
    // Killing again is a no-op.
    await etcdTarget.kill(cluster.ctx, leader!);

    const others = ['n1', 'n2', 'n3'].filter((n) => n !== leader);
    await expect
      .poll(async () => (await etcdTarget.primaries(cluster.ctx)).filter((n) => others.includes(n)).length, {
        timeout: 10_000,
      })
      .toBe(1);
    const survivor = await clientOn(others[0]!);
    await expect
      .poll(
        async () =>
          (await survivor.invoke({ process: 4, f: 'write', key: 'b', value: 2 }, AbortSignal.timeout(2000))).type,
        { timeout: 10_000 },
      )
      .toBe('ok');
    // The dead node refuses connections: definite failure.
    const dead = await clientOn(leader!);
    expect(await dead.invoke({ process: 5, f: 'write', key: 'b', value: 3 }, never())).toMatchObject({
      type: 'fail',
      error: expect.stringMatching(/ECONNREFUSED/),
    });

    await etcdTarget.start(cluster.ctx, leader!);
    await etcdTarget.start(cluster.ctx, leader!); // already running: a no-op
    await etcdTarget.awaitReady(cluster.ctx, 20_000);
    expect(await dead.invoke({ process: 6, f: 'read', key: 'b' }, never())).toEqual({ type: 'ok', value: 2 });
  });

  it('a paused node stops answering (writes through it are info) and answers again after resume', async () => {
    const [leader] = await etcdTarget.primaries(cluster.ctx);
    const victim = ['n1', 'n2', 'n3'].find((n) => n !== leader)!;
    const client = await clientOn(victim);
    await etcdTarget.pause(cluster.ctx, victim);
    try {
      const pid = await cluster.runtime.daemonPid(victim, 'etcd');
      expect((await runLocal(['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`])).stdout.trim()).toBe('T');
      expect(
        await client.invoke({ process: 7, f: 'write', key: 'c', value: 1 }, AbortSignal.timeout(500)),
      ).toMatchObject({ type: 'info' });
      expect(await client.invoke({ process: 8, f: 'read', key: 'c' }, AbortSignal.timeout(500))).toMatchObject({
        type: 'fail',
      });
    } finally {
      await etcdTarget.resume(cluster.ctx, victim);
    }
    await etcdTarget.awaitReady(cluster.ctx, 20_000);
    expect((await client.invoke({ process: 9, f: 'read', key: 'c' }, never())).type).toBe('ok');
  });

  it('behind a firewall: a write that never connected is fail, one on an open connection is info', async () => {
    const connected = await clientOn('n2');
    expect((await connected.invoke({ process: 11, f: 'read', key: 'd' }, never())).type).toBe('ok'); // opens the connection
    const fresh = await clientOn('n2');
    const rule = ['INPUT', '-p', 'tcp', '--dport', '2379', '-j', 'DROP'];
    await cluster.runtime.exec('n2', ['iptables', '-w', '-A', ...rule]);
    try {
      expect(
        await fresh.invoke({ process: 12, f: 'write', key: 'd', value: 1 }, AbortSignal.timeout(300)),
      ).toMatchObject({
        type: 'fail',
        error: expect.stringMatching(/timed out while connecting/),
      });
      expect(await connected.invoke({ process: 13, f: 'write', key: 'd', value: 1 }, AbortSignal.timeout(300))).toEqual(
        { type: 'info', error: 'timed out' },
      );
    } finally {
      await cluster.runtime.exec('n2', ['iptables', '-w', '-D', ...rule]);
    }
    expect((await cluster.runtime.exec('n2', ['iptables', '-w', '-S', 'INPUT'])).stdout).not.toContain('DROP');
  });

  it('serializable reads are answered by a member', async () => {
    const ctx = { ...cluster.ctx, options: { ...cluster.ctx.options, readMode: 'serializable' as const } };
    const client = etcdTarget.clients.register(ctx, 'register');
    await client.open(cluster.runtime.node('n2'));
    clients.push(client);
    await expect.poll(async () => (await client.invoke({ process: 10, f: 'read', key: 'b' }, never())).value).toBe(2);
  });

  it('teardown stops etcd and wipes its data, and is idempotent', async () => {
    await etcdTarget.teardown(cluster.ctx, 'n3');
    await etcdTarget.teardown(cluster.ctx, 'n3');
    expect(await cluster.runtime.daemonRunning('n3', 'etcd')).toBe(false);
    expect(existsSync(dataDir(cluster.ctx, 'n3'))).toBe(false);
    expect(etcdTarget.logFiles(cluster.ctx, 'n3').every((f) => existsSync(f))).toBe(true);
  });
});
