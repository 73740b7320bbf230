/**
 * Nemesis figures on a 5-node netns cluster (needs root): how long applying
 * and healing each fault takes, how close loss at p=0.3 comes to 30%, and how
 * far the measured clock offset is from the one set.
 */
import { isRoot } from '../harness/testing/requirements.js';
import { clockNemesis, measureOffset } from '../nemesis/clock/nemesis.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis/nemesis.js';
import { packetNemesis } from '../nemesis/packet/nemesis.js';
import { PARTITION_SHAPES } from '../nemesis/partition/grudge.js';
import { partitionNemesis } from '../nemesis/partition/nemesis.js';
import { pauseNemesis } from '../nemesis/pause/nemesis.js';
import { nemesisContext, removeTempStateDirs, testRuntime } from '../nemesis/testing/cluster.js';
import { echoTarget } from '../nemesis/testing/echo-target.js';
import { probeFrom } from '../nemesis/testing/probe.js';

const ROUNDS = 10;

async function timed(ctx: NemesisContext, nemesis: Nemesis, op: NemesisOp): Promise<number> {
  const t0 = performance.now();
  const r = await nemesis.invoke(ctx, op);
  if (r.error) throw new Error(`${op.f}: ${r.error}`);
  return performance.now() - t0;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(0)} ms, max ${s[s.length - 1]!.toFixed(0)} ms (${s.length} runs)`;
}

export async function run(): Promise<void> {
  if (!isRoot()) {
    console.log('skipped: the nemesis benchmark needs root (netns nodes)');
    return;
  }
  const runtime = testRuntime('t5b');
  await runtime.up();
  try {
    const target = echoTarget({ primaries: ['n1'] });
    const ctx = nemesisContext(runtime, target, { seed: 3 });
    for (const n of runtime.nodes()) await target.setup(ctx.targetCtx, n.name);
    const partition = partitionNemesis();
    const packet = packetNemesis({ probability: 0.3 });
    const pause = pauseNemesis();
    const clock = clockNemesis();
    await clock.setup(ctx);

    for (const shape of PARTITION_SHAPES) {
      const start: number[] = [];
      const stop: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        start.push(await timed(ctx, partition, { f: 'start-partition', value: { shape } }));
        stop.push(await timed(ctx, partition, { f: 'stop-partition' }));
      }
      console.log(`partition ${shape.padEnd(15)} apply ${summary(start)}; heal ${summary(stop)}`);
    }

    const pStart: number[] = [];
    const pStop: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      pStart.push(await timed(ctx, packet, { f: 'start-packet', value: { nodes: 'all', rate: '10mbit' } }));
      pStop.push(await timed(ctx, packet, { f: 'stop-packet' }));
    }
    console.log(`packet loss+tbf on all nodes: apply ${summary(pStart)}; heal ${summary(pStop)}`);

    await timed(ctx, packet, { f: 'start-packet', value: { nodes: ['n1'] } });
    const n1 = runtime.node('n1').address;
    const rates: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = (await probeFrom(runtime, 'n2', [n1], { repeat: 1000, timeoutMs: 300, concurrency: 50 }))[n1]!;
      rates.push(`${((1 - r.ok / r.total) * 100).toFixed(1)}%`);
    }
    await timed(ctx, packet, { f: 'stop-packet' });
    console.log(`loss at p=0.3, 3 x 1000 TCP connects n2->n1: ${rates.join(', ')} failed`);

    const paused: number[] = [];
    const resumed: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      paused.push(await timed(ctx, pause, { f: 'pause', value: { nodes: 'majority' } }));
      resumed.push(await timed(ctx, pause, { f: 'resume' }));
    }
    console.log(`pause majority: apply ${summary(paused)}; resume ${summary(resumed)}`);

    const bump: number[] = [];
    const errors: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const target = (i % 2 === 0 ? 1 : -1) * 1000 * (i + 1);
      bump.push(await timed(ctx, clock, { f: 'bump-clock', value: { deltas: { n1: target } } }));
      const measured = await measureOffset(runtime, 'n1');
      const expected = [...Array(i + 1).keys()].reduce((acc, k) => acc + (k % 2 === 0 ? 1 : -1) * 1000 * (k + 1), 0);
      errors.push(Math.abs(measured.offsetMs - expected));
    }
    await clock.heal(ctx);
    console.log(`clock bump (write + measure on the node): ${summary(bump)}; |measured - set| ${summary(errors)}`);
    await partition.heal(ctx);
    await packet.heal(ctx);
    await pause.heal(ctx);
  } finally {
    await runtime.down();
    removeTempStateDirs();
  }
}
