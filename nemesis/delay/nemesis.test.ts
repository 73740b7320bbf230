/**
 * The delay nemesis on a 3-node netns cluster: round trips before and after,
 * reorder and duplicate counts on numbered UDP streams, which links are
 * touched, the controller left alone, heal leaving nothing, and `faultline
 * heal` after a controller killed with SIGKILL mid-delay.
 *
 * RTTs are TCP connects (SYN out, RST back): over a link delayed both ways by
 * 50 ± 10 ms (uniform), the added RTT is the sum of two delays, in [80, 120] ms,
 * median 100 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { missing } from '../../harness/testing/requirements.js';
import { HealState } from '../heal-state.js';
import type { NemesisContext } from '../nemesis.js';
import { nemesisContext, removeTempStateDirs, tempStateDir } from '../testing/cluster.js';
import { echoTarget } from '../testing/echo-target.js';
import { healDelay } from './heal.js';
import { HELPER_DAEMON, helperState, installHelper } from './helper.js';
import { measureRtt, percentile, summarize } from './measure.js';
import { delayNemesis } from './nemesis.js';
import { delayTestRuntime, faultlineRules } from './testing/cluster.js';
import { overtakers, udpStream } from './testing/udp-stream.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'gcc'] });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NODES = ['n1', 'n2', 'n3'];

describe.skipIf(needs)('the delay nemesis on netns nodes', () => {
  let runtime: Runtime;
  let ctx: NemesisContext;
  // The userspace scheduler explicitly: these tests count what the helper did (netem.test.ts covers "auto").
  const delay = delayNemesis({ mechanism: 'nfqueue' });

  beforeAll(async () => {
    runtime = delayTestRuntime('nemesis', NODES.length);
    await runtime.up();
    ctx = nemesisContext(runtime, echoTarget(), { seed: 11 });
    await delay.setup(ctx);
    for (const n of NODES) await installHelper(runtime, n);
  });

  afterAll(async () => {
    if (!runtime) return;
    try {
      await delay.heal(ctx);
      await expectNothingLeft();
    } finally {
      await runtime.down();
      removeTempStateDirs();
    }
  });

  async function expectNothingLeft() {
    for (const n of NODES) {
      expect(await faultlineRules(runtime, n)).toEqual([]);
      expect(await helperState(runtime, n)).toEqual({ running: false, pids: [], queueBound: false });
    }
  }

  /** `count` round trips from `a` to `b` (ms). */
  async function rtt(a: string, b: string, count = 20): Promise<number[]> {
    const address = runtime.node(b).address;
    return (await measureRtt(runtime, a, [address], { count, intervalMs: 5 }))[address]!.samplesMs;
  }

  /** The controller's TCP connect time to a node's closed port 9 (ms). */
  function controllerRtt(node: string): Promise<number> {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const s = net.connect({ host: runtime.node(node).address, port: 9 });
      const done = () => {
        s.destroy();
        resolve(performance.now() - t0);
      };
      s.once('connect', done);
      s.once('error', done);
    });
  }

  it('50 ± 10 ms on all links: RTT median +100 ms (two delayed directions), p99 within the sum of the jitters', async () => {
    const before = await rtt('n1', 'n2', 100);
    const start = await delay.invoke(ctx, { f: 'start-delay', value: { delayMs: 50, jitterMs: 10 } });
    expect(start.error).toBeUndefined();
    const value = start.value as {
      links: string[];
      delayMs: number;
      jitterMs: number;
      measuredDelayMs: number;
      measured: Record<string, { addedMs: number }>;
    };
    expect(value).toMatchObject({ delayMs: 50, jitterMs: 10, distribution: 'uniform', mechanism: 'nfqueue' });
    expect(value.links).toEqual(['n1-n2', 'n1-n3', 'n2-n3']);
    const after = await rtt('n1', 'n2', 100);
    const b = summarize(before);
    const a = summarize(after);
    console.log(
      `delay 50±10 ms on all links, n1->n2 TCP connect RTT over 100 samples: before median ${b.medianMs} ms, p99 ${b.p99Ms} ms; after median ${a.medianMs} ms, p99 ${a.p99Ms} ms; the nemesis measured ${value.measuredDelayMs} ms one way (${JSON.stringify(value.measured)})`,
    );
    expect(b.medianMs!).toBeLessThan(5);
    const added = a.medianMs! - b.medianMs!;
    expect(added).toBeGreaterThanOrEqual(90);
    expect(added).toBeLessThanOrEqual(125);
    // Two delays of at least 40 ms each: nothing comes back sooner than 80 ms.
    expect(Math.min(...after)).toBeGreaterThanOrEqual(79);
    expect(a.p99Ms!).toBeLessThanOrEqual(170);
    expect(value.measuredDelayMs).toBeGreaterThanOrEqual(45);
    expect(value.measuredDelayMs).toBeLessThanOrEqual(65);
    // Every link is delayed, and the controller's round trips are not.
    for (const [x, y] of [
      ['n2', 'n3'],
      ['n3', 'n1'],
    ] as const) {
      expect(percentile(await rtt(x, y, 5), 0.5)!).toBeGreaterThanOrEqual(79);
    }
    expect(await controllerRtt('n1')).toBeLessThan(40);
    const stop = await delay.invoke(ctx, { f: 'stop-delay' });
    expect(stop.error).toBeUndefined();
    const stats = (stop.value as { stats: Record<string, Record<string, number>> }).stats;
    expect(Object.keys(stats).sort()).toEqual(NODES);
    for (const s of Object.values(stats)) {
      expect(s.released).toBe(s.received);
      expect(s).toMatchObject({ dropped: 0, kernel_queue_dropped: 0, kernel_user_dropped: 0 });
    }
    await expectNothingLeft();
    expect(percentile(await rtt('n1', 'n2'), 0.5)!).toBeLessThan(5);
    expect(await new HealState(ctx.stateDir).pending()).toEqual([]);
  });

  it('reorder 0.2 and duplicate 0.1 on one link: counted on 1,000 numbered UDP packets; other links untouched', async () => {
    const start = await delay.invoke(ctx, {
      f: 'start-delay',
      value: { links: [['n2', 'n1']], delayMs: 30, jitterMs: 0, reorder: 0.2, duplicate: 0.1 },
    });
    expect(start.error).toBeUndefined();
    expect(start.value).toMatchObject({ links: ['n1-n2'], reorder: 0.2, duplicate: 0.1 });
    const r = await udpStream(runtime, 'n1', 'n2', { count: 1000, ratePerSecond: 500 });
    // A packet sent at once overtakes the ~15 packets held before it (30 ms at 2 ms apart): it is an overtaker,
    // and each packet it overtook arrives after a higher-numbered one (counted in r.reordered).
    const overtook = overtakers(r.order);
    const atOnce = r.delaysMs.filter((d) => d < 15).length;
    console.log(
      `reorder 0.2, duplicate 0.1, 1000 packets n1->n2 at 500/s: ${r.unique} arrived, ${overtook} overtook earlier ones (${atOnce} in under 15 ms), ${r.reordered} arrived after a later-numbered one, ${r.duplicates} duplicates`,
    );
    expect(r.unique).toBe(1000);
    // Binomial(1000, 0.2): mean 200, sd 12.6; Binomial(1000, 0.1): mean 100, sd 9.5. Four sd either way.
    expect(overtook).toBeGreaterThanOrEqual(150);
    expect(overtook).toBeLessThanOrEqual(250);
    expect(r.duplicates).toBeGreaterThanOrEqual(62);
    expect(r.duplicates).toBeLessThanOrEqual(138);
    expect(r.reordered).toBeGreaterThanOrEqual(overtook);
    // Only the n1-n2 link: n3 runs no helper, and n1->n3 is not delayed.
    expect(await helperState(runtime, 'n3')).toMatchObject({ running: false, queueBound: false });
    const other = await udpStream(runtime, 'n1', 'n3', { count: 100, ratePerSecond: 500 });
    expect(percentile(other.delaysMs, 0.5)!).toBeLessThan(5);
    expect(other.duplicates).toBe(0);
    const stop = await delay.invoke(ctx, { f: 'stop-delay' });
    // The helper's own counts agree: about a fifth sent at once, a tenth duplicated (the stream and its handshake).
    const n1 = (stop.value as { stats: Record<string, Record<string, number>> }).stats.n1!;
    console.log(`n1's helper: ${JSON.stringify(n1)}`);
    expect(n1.reordered! / n1.received!).toBeGreaterThan(0.15);
    expect(n1.reordered! / n1.received!).toBeLessThan(0.25);
    expect(n1.duplicated).toBeGreaterThanOrEqual(62);
    await expectNothingLeft();
  });

  it('jitter alone reorders: 20 ± 10 ms at one packet a millisecond', async () => {
    await delay.invoke(ctx, { f: 'start-delay', value: { links: [['n1', 'n2']], delayMs: 20, jitterMs: 10 } });
    const r = await udpStream(runtime, 'n1', 'n2', { count: 500, ratePerSecond: 1000 });
    console.log(`jitter 20±10 ms at 1000/s: ${r.reordered} of ${r.unique} packets out of order`);
    expect(r.unique).toBe(500);
    expect(r.reordered).toBeGreaterThan(50);
    expect(Math.min(...r.delaysMs)).toBeGreaterThanOrEqual(9.5);
    await delay.invoke(ctx, { f: 'stop-delay' });
  });

  it('per node: only the links of n3 are delayed; a new plan replaces the old one', async () => {
    await delay.invoke(ctx, { f: 'start-delay', value: { delayMs: 40, jitterMs: 0 } });
    const r = await delay.invoke(ctx, { f: 'start-delay', value: { nodes: ['n3'], delayMs: 20, jitterMs: 0 } });
    expect(r.error).toBeUndefined();
    expect(r.value).toMatchObject({ links: ['n1-n3', 'n2-n3'] });
    expect(percentile(await rtt('n1', 'n3'), 0.5)!).toBeGreaterThanOrEqual(39);
    expect(percentile(await rtt('n1', 'n3'), 0.5)!).toBeLessThan(70);
    // n1 and n2 delay only their packets to n3 now: n1-n2 is back to normal.
    expect(percentile(await rtt('n1', 'n2'), 0.5)!).toBeLessThan(5);
    await delay.invoke(ctx, { f: 'stop-delay' });
    await expectNothingLeft();
  });

  it('controller: true also delays what the nodes send to the controller', async () => {
    const r = await delay.invoke(ctx, {
      f: 'start-delay',
      value: { nodes: ['n1'], delayMs: 40, jitterMs: 0, controller: true },
    });
    expect(r.error).toBeUndefined();
    try {
      expect(r.value).toMatchObject({ controller: true, links: ['n1-n2', 'n1-n3'] });
      // The controller's SYN is not delayed; n1's answer is. n2 and n3 delay only their packets to n1.
      expect(await controllerRtt('n1')).toBeGreaterThanOrEqual(39);
      expect(await controllerRtt('n2')).toBeLessThan(39);
      expect(percentile(await rtt('n2', 'n1', 5), 0.5)!).toBeGreaterThanOrEqual(79);
    } finally {
      await delay.invoke(ctx, { f: 'stop-delay' });
    }
    expect(await controllerRtt('n1')).toBeLessThan(39);
    const links = await delay.invoke(ctx, {
      f: 'start-delay',
      value: { links: [['n1', 'n2']], controller: true },
    });
    expect(links.error).toMatch(/controller: true goes with nodes/);
  });

  it('a helper that dies mid-delay is named in the stop result and the warnings; its link goes undelayed', async () => {
    const nem = delayNemesis({ mechanism: 'nfqueue' });
    await nem.invoke(ctx, { f: 'start-delay', value: { links: [['n1', 'n2']], delayMs: 40, jitterMs: 0 } });
    await runtime.signalDaemon('n2', HELPER_DAEMON, 'SIGKILL');
    // n2's answers now bypass the dead queue: one delayed direction is left.
    const median = percentile(await rtt('n1', 'n2', 5), 0.5)!;
    expect(median).toBeGreaterThanOrEqual(39);
    expect(median).toBeLessThan(70);
    const stop = await nem.invoke(ctx, { f: 'stop-delay' });
    expect(stop.value).toMatchObject({ helperDied: ['n2'] });
    expect(nem.warnings?.()).toEqual([expect.stringMatching(/the delay helper died on n2 during a delay/)]);
    await expectNothingLeft();
  });

  it('bad options are an error result naming the option, and apply nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ delayMs: -1 }, /start-delay value\.delayMs: expected milliseconds/],
      [{ jitter: 5 }, /start-delay value\.jitter: unknown option; known: delayMs/],
      [{ distribution: 'pareto' }, /start-delay value\.distribution: expected uniform or normal/],
      [{ reorder: 0.5, delayMs: 0, jitterMs: 0, duplicate: 0.1 }, /reorder needs a delay/],
      [{ duplicate: 1.5 }, /start-delay value\.duplicate: expected a probability in \[0, 1\]/],
      [{ rate: 'fast' }, /start-delay value\.rate: rate must look like 1mbit/],
      [{ links: [['n1', 'n9']] }, /unknown node "n9"/],
      [{ links: [['n1', 'n2']], nodes: 'all' }, /nodes or links, not both/],
      [{ delayMs: 0, jitterMs: 0 }, /this delay does nothing/],
    ];
    for (const [value, error] of cases) {
      const r = await delay.invoke(ctx, { f: 'start-delay', value: value as never });
      expect(r.error).toMatch(error);
    }
    await expectNothingLeft();
  });

  it('after a controller dies by SIGKILL mid-delay, `faultline heal` leaves no NFQUEUE rule and no helper', async () => {
    const stateDir = tempStateDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'nemesis/delay/testing/delay-and-hang.ts', stateDir, String(NODES.length)],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await applied(child);
      expect(percentile(await rtt('n1', 'n2', 5), 0.5)!).toBeGreaterThanOrEqual(99);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // The controller is gone; the delay is not.
      for (const n of NODES) {
        expect((await faultlineRules(runtime, n)).some((l) => l.includes('NFQUEUE'))).toBe(true);
        expect(await helperState(runtime, n)).toMatchObject({ running: true, queueBound: true });
      }
      expect(percentile(await rtt('n2', 'n3', 5), 0.5)!).toBeGreaterThanOrEqual(99);
      expect(await new HealState(stateDir).pending()).toEqual(['delay']);

      const heal = await runCli(['heal', '--state-dir', stateDir]);
      expect(heal.stderr).not.toMatch(/error/i);
      expect(heal.code).toBe(0);
      expect(heal.stdout).toMatch(/healed delay/);
      await expectNothingLeft();
      expect(percentile(await rtt('n1', 'n2'), 0.5)!).toBeLessThan(5);
      expect(await new HealState(stateDir).pending()).toEqual([]);
      const again = await runCli(['heal', '--state-dir', stateDir]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/nothing to heal/);
    } finally {
      child.kill('SIGKILL');
      await healDelay(runtime, NODES);
    }
  });
});

/** Resolves once the child says its delay is applied; rejects if it exits first. */
function applied(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('applied') && resolve());
    child.once('exit', (code) => reject(new Error(`delay-and-hang exited ${code}: ${stderr}`)));
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/faultline.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
