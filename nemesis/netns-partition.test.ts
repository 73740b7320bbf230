/**
 * Partitions and packet loss on real netns nodes: TCP probes between every
 * ordered pair of nodes and from the controller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../harness/runtime/runtime.js';
import { missing } from '../harness/testing/requirements.js';
import { listRules, PACKET_CHAIN } from './iptables.js';
import type { Nemesis, NemesisContext } from './nemesis.js';
import { packetNemesis } from './packet/nemesis.js';
import { cutLinks, type Grudge, linkKey } from './partition/grudge.js';
import { partitionNemesis } from './partition/nemesis.js';
import { nemesisContext, removeTempStateDirs, testRuntime } from './testing/cluster.js';
import { type EchoTarget, echoTarget, targetContext } from './testing/echo-target.js';
import { allPairs, controllerReaches, probeFrom, reachablePairs } from './testing/probe.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'tc'] });

describe.skipIf(needs)('partitions and packet loss on netns nodes', () => {
  let runtime: Runtime;
  let target: EchoTarget;
  let ctx: NemesisContext;
  let nodes: string[];
  const partition: Nemesis = partitionNemesis();
  const packet: Nemesis = packetNemesis({ probability: 0.3 });

  beforeAll(async () => {
    runtime = testRuntime('t5p');
    await runtime.up();
    nodes = runtime.nodes().map((n) => n.name);
    target = echoTarget({ primaries: ['n2'] });
    const tctx = targetContext(runtime);
    for (const n of nodes) await target.setup(tctx, n);
    ctx = nemesisContext(runtime, target, { seed: 42 });
    // Everyone reaches everyone before any fault.
    for (let i = 0; i < 50 && (await reachablePairs(runtime)).size < allPairs(nodes).size; i++)
      await new Promise((r) => setTimeout(r, 100));
  });

  afterAll(async () => {
    if (!runtime) return;
    try {
      await partition.heal(ctx);
      await packet.heal(ctx);
    } finally {
      await runtime.down();
      removeTempStateDirs();
    }
  });

  /** The ordered pairs a grudge should leave reachable. */
  const expectedPairs = (grudge: Grudge) => {
    const cut = cutLinks(grudge);
    return [...allPairs(nodes)]
      .filter((p) => {
        const [a, b] = p.split('>');
        return !cut.has(linkKey(a!, b!));
      })
      .sort();
  };

  async function expectHealed() {
    expect([...(await reachablePairs(runtime))].sort()).toEqual([...allPairs(nodes)].sort());
    for (const n of nodes) expect(await listRules(runtime, n)).not.toContain('FAULTLINE');
  }

  const shapes = ['halves', 'random-halves', 'one', 'majorities-ring', 'bridge', 'primaries'] as const;
  for (const shape of shapes) {
    it(`${shape}: blocks exactly the intended pairs, never the controller; heal restores all`, async () => {
      const result = await partition.invoke(ctx, { f: 'start-partition', value: { shape } });
      expect(result.error).toBeUndefined();
      const grudge = (result.value as { grudge: Grudge }).grudge;
      expect(cutLinks(grudge).size).toBeGreaterThan(0);
      expect([...(await reachablePairs(runtime))].sort()).toEqual(expectedPairs(grudge));
      expect(await controllerReaches(runtime)).toEqual(nodes);
      const stop = await partition.invoke(ctx, { f: 'stop-partition' });
      expect(stop.error).toBeUndefined();
      await expectHealed();
    });
  }

  it('an explicit grudge is applied as given (one-way drops cut TCP both ways)', async () => {
    const result = await partition.invoke(ctx, {
      f: 'start-partition',
      value: { grudge: { n1: ['n5'], n3: ['n4', 'n5'] } },
    });
    expect(result.error).toBeUndefined();
    expect([...(await reachablePairs(runtime))].sort()).toEqual(expectedPairs({ n1: ['n5'], n3: ['n4', 'n5'] }));
    await partition.heal(ctx);
    await expectHealed();
  });

  it('reports a bad shape or unknown node as an error result, applying nothing', async () => {
    const bad = await partition.invoke(ctx, { f: 'start-partition', value: { shape: 'triangle' } });
    expect(bad.error).toMatch(/unknown partition shape "triangle"; known: halves/);
    const unknown = await partition.invoke(ctx, { f: 'start-partition', value: { grudge: { n9: ['n1'] } } });
    expect(unknown.error).toMatch(/unknown node "n9"/);
    const noPrimaries = nemesisContext(runtime, echoTarget());
    const prim = await partition.invoke(noPrimaries, { f: 'start-partition', value: { shape: 'primaries' } });
    expect(prim.error).toMatch(/HasPrimaries/);
    await expectHealed();
  });

  it('loss at 0.3 drops between 20% and 40% of 1,000 connection attempts', async () => {
    const result = await packet.invoke(ctx, { f: 'start-packet', value: { nodes: ['n1'], probability: 0.3 } });
    expect(result.error).toBeUndefined();
    expect(result.value).toMatchObject({ probability: 0.3, loss: { n1: ['n2', 'n3', 'n4', 'n5'] } });
    const n1 = runtime.node('n1').address;
    // A dropped SYN is retransmitted only after 1 s, so a 300 ms timeout counts it as lost.
    const r = (await probeFrom(runtime, 'n2', [n1], { repeat: 1000, timeoutMs: 300, concurrency: 50 }))[n1]!;
    expect(r.total).toBe(1000);
    const lossRate = 1 - r.ok / r.total;
    console.log(`loss at p=0.3: ${(lossRate * 100).toFixed(1)}% of ${r.total} connects failed`);
    expect(lossRate).toBeGreaterThanOrEqual(0.2);
    expect(lossRate).toBeLessThanOrEqual(0.4);
    // The controller's traffic is not dropped.
    expect(await controllerReaches(runtime)).toEqual(nodes);
    await packet.invoke(ctx, { f: 'stop-packet' });
    const after = (await probeFrom(runtime, 'n2', [n1], { repeat: 200, timeoutMs: 300, concurrency: 50 }))[n1]!;
    expect(after.ok).toBe(200);
    await expectHealed();
  });

  it('per-link loss touches only the two ends; a rate limit installs and removes our tbf', async () => {
    const link = await packet.invoke(ctx, { f: 'start-packet', value: { links: [['n3', 'n4']], probability: 0.5 } });
    expect(link.error).toBeUndefined();
    expect(link.value).toMatchObject({ loss: { n3: ['n4'], n4: ['n3'] } });
    const rules = Object.fromEntries(
      await Promise.all(nodes.map(async (n) => [n, await listRules(runtime, n)] as const)),
    );
    expect(rules.n3).toContain(`-s ${runtime.node('n4').address}/32 -m statistic --mode random --probability 0.5`);
    expect(rules.n4).toContain(`-s ${runtime.node('n3').address}/32`);
    for (const n of ['n1', 'n2', 'n5']) expect(rules[n]).not.toContain(PACKET_CHAIN);

    const rated = await packet.invoke(ctx, {
      f: 'start-packet',
      value: { nodes: ['n5'], probability: 0.01, rate: '1mbit' },
    });
    expect(rated.error).toBeUndefined();
    expect(rated.value).toMatchObject({ rate: '1mbit', rateLimited: { n5: 'eth0' } });
    const qdisc = await runtime.exec('n5', ['tc', 'qdisc', 'show', 'dev', 'eth0']);
    expect(qdisc.stdout).toMatch(/tbf 5a17: root .*rate 1Mbit/);
    await packet.invoke(ctx, { f: 'stop-packet' });
    expect((await runtime.exec('n5', ['tc', 'qdisc', 'show', 'dev', 'eth0'])).stdout).not.toContain('tbf');
    await expectHealed();
  });

  it('a new packet plan replaces the old one: nodes outside it lose their loss chain and tbf', async () => {
    const first = await packet.invoke(ctx, {
      f: 'start-packet',
      value: { nodes: ['n5'], probability: 0.2, rate: '1mbit' },
    });
    expect(first.error).toBeUndefined();
    expect(await listRules(runtime, 'n5')).toContain(PACKET_CHAIN);
    expect((await runtime.exec('n5', ['tc', 'qdisc', 'show', 'dev', 'eth0'])).stdout).toMatch(/tbf 5a17:/);

    const second = await packet.invoke(ctx, { f: 'start-packet', value: { nodes: ['n1'], probability: 0.2 } });
    expect(second.error).toBeUndefined();
    expect(second.value).toMatchObject({ loss: { n1: ['n2', 'n3', 'n4', 'n5'] } });
    expect(await listRules(runtime, 'n1')).toContain(PACKET_CHAIN);
    expect(await listRules(runtime, 'n5')).not.toContain(PACKET_CHAIN);
    expect((await runtime.exec('n5', ['tc', 'qdisc', 'show', 'dev', 'eth0'])).stdout).not.toContain('tbf');

    // The same node again without a rate: its earlier rate limit goes too.
    await packet.invoke(ctx, { f: 'start-packet', value: { nodes: ['n1'], probability: 0.2, rate: '1mbit' } });
    await packet.invoke(ctx, { f: 'start-packet', value: { nodes: ['n1'], probability: 0.2 } });
    expect((await runtime.exec('n1', ['tc', 'qdisc', 'show', 'dev', 'eth0'])).stdout).not.toContain('tbf');
    await packet.invoke(ctx, { f: 'stop-packet' });
    await expectHealed();
  });

  it('refuses latency plainly: this kernel has no netem', async () => {
    const r = await packet.invoke(ctx, { f: 'start-packet', value: { nodes: 'one', latencyMs: 100 } });
    expect(r.error).toMatch(/no netem/);
    expect(() => packetNemesis({ probability: 0.1, latencyMs: 50 })).toThrow(/no netem/);
  });
});
