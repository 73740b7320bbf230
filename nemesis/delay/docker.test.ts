/**
 * The delay fault on docker nodes: the static helper is copied into each
 * container, delays the link, and `faultline heal` (through a runtime attached
 * from the heal state alone, as after a SIGKILL) leaves no rule and no helper.
 * Needs root and docker.io; starts dockerd if none runs and stops it afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../harness/log.js';
import { createDockerRuntime } from '../../harness/runtime/docker/index.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { type DockerdHandle, dockerdMissing, startDockerd } from '../../harness/testing/dockerd.js';
import { TEST_NODE_NEEDS } from '../../harness/testing/node-needs.js';
import { healFromState } from '../heal-from-state.js';
import { HealState } from '../heal-state.js';
import { nemesisContext, removeTempStateDirs } from '../testing/cluster.js';
import { echoTarget } from '../testing/echo-target.js';
import { helperState } from './helper.js';
import { measureRtt, percentile } from './measure.js';
import { delayNemesis } from './nemesis.js';
import { faultlineRules } from './testing/cluster.js';

const OPTIONS = { name: 'dlyd', nodes: 2, subnet: '10.240.5.0/24' };

describe.skipIf(dockerdMissing())('the delay fault on a docker cluster', () => {
  let dockerd: DockerdHandle | undefined;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    dockerd = await startDockerd();
    runtime = createDockerRuntime(OPTIONS, silentLogger);
    await runtime.up(TEST_NODE_NEEDS);
  }, 600_000);
  afterAll(async () => {
    try {
      await runtime?.down();
    } finally {
      removeTempStateDirs();
      await dockerd?.stop();
    }
  });

  it('delays the link (RTT measured inside the containers) and heals from the recorded state', async () => {
    const rt = runtime!;
    const ctx = nemesisContext(rt, echoTarget(), { runtimeOptions: { kind: 'docker', docker: OPTIONS } });
    const delay = delayNemesis();
    await delay.setup(ctx);
    const result = await delay.invoke(ctx, { f: 'start-delay', value: { delayMs: 30, jitterMs: 0 } });
    expect(result.error).toBeUndefined();
    const value = result.value as { measuredDelayMs: number; links: string[] };
    console.log(`docker: delay 30 ms, measured ${value.measuredDelayMs} ms one way`);
    expect(value.links).toEqual(['n1-n2']);
    expect(value.measuredDelayMs).toBeGreaterThanOrEqual(29);
    expect(value.measuredDelayMs).toBeLessThan(50);
    for (const n of ['n1', 'n2']) {
      expect(await helperState(rt, n)).toMatchObject({ running: true, queueBound: true });
      expect((await faultlineRules(rt, n)).some((l) => l.includes('NFQUEUE'))).toBe(true);
    }
    const address = rt.node('n2').address;
    const samples = (await measureRtt(rt, 'n1', [address], { count: 10 }))[address]!.samplesMs;
    expect(percentile(samples, 0.5)!).toBeGreaterThanOrEqual(59);

    const report = await healFromState(ctx.stateDir, silentLogger);
    expect(report.healed).toEqual(['delay']);
    expect(report.notes).toEqual(['stopped the delay helper on n1, n2']);
    for (const n of ['n1', 'n2']) {
      expect(await faultlineRules(rt, n)).toEqual([]);
      expect(await helperState(rt, n)).toEqual({ running: false, pids: [], queueBound: false });
    }
    expect(percentile((await measureRtt(rt, 'n1', [address], { count: 10 }))[address]!.samplesMs, 0.5)!).toBeLessThan(
      10,
    );
    expect(await new HealState(ctx.stateDir).pending()).toEqual([]);
  });
});
