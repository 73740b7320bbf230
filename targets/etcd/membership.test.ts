/**
 * etcd's membership changes on a real 5-node cluster in network namespaces
 * (cluster "t16mbr", subnet 10.243.1.0/24): members removed and added back,
 * with writes going on, and a removed member never restarted on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing } from '../../harness/testing/requirements.js';
import type { Client } from '../../workloads/client.js';
import { isReconfigurable } from '../target.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { etcdTarget } from './index.js';
import { isRemoved } from './membership.js';
import type { EtcdOptions } from './options.js';

const needs = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'setsid'] });
const never = () => new AbortController().signal;

describe.skipIf(needs)('etcd membership changes on a 5-node netns cluster', () => {
  let cluster: TestCluster<EtcdOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(etcdTarget, { name: 't16mbr', nodes: 5, subnet: '10.243.1.0/24' });
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
  });

  async function clientOn(node: string): Promise<Client> {
    const client = etcdTarget.clients.register(cluster.ctx, 'register');
    await client.open(cluster.runtime.node(node));
    clients.push(client);
    return client;
  }

  it('removes two members, keeps serving with three, and adds them back as empty members that catch up', async () => {
    expect(isReconfigurable(etcdTarget)).toBe(true);
    const { ctx } = cluster;
    expect(await etcdTarget.members(ctx)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);

    await etcdTarget.removeMember(ctx, 'n4');
    await etcdTarget.removeMember(ctx, 'n5');
    expect(await etcdTarget.members(ctx)).toEqual(['n1', 'n2', 'n3']);
    expect(await ctx.runtime.daemonRunning('n4', 'etcd')).toBe(false);
    expect(await isRemoved(ctx, 'n5')).toBe(true);

    // The three left serve writes; a restart (the kill fault's start) leaves a removed member down.
    const writer = await clientOn('n1');
    expect(await writer.invoke({ process: 0, f: 'write', key: 1, value: 3 }, never())).toMatchObject({ type: 'ok' });
    await etcdTarget.start(ctx, 'n4');
    expect(await ctx.runtime.daemonRunning('n4', 'etcd')).toBe(false);

    await etcdTarget.addMember(ctx, 'n4');
    await etcdTarget.addMember(ctx, 'n5');
    expect(await etcdTarget.members(ctx)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(await isRemoved(ctx, 'n4')).toBe(false);

    // The re-added member caught up with what was written while it was out (a linearizable read through it).
    await etcdTarget.awaitReady(ctx, 30_000);
    const reader = await clientOn('n4');
    expect(await reader.invoke({ process: 1, f: 'read', key: 1, value: null }, never())).toEqual({
      type: 'ok',
      value: 3,
    });
  }, 120_000);
});
