/**
 * The delay fault on ssh nodes (sshd servers in a netns cluster on this host,
 * harness/runtime/ssh/testing/sshd-cluster.ts): the static helper is copied
 * over sftp, delays the link, and `faultline heal` through a runtime attached
 * from the heal state alone leaves no rule and no helper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../harness/log.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { createSshRuntime } from '../../harness/runtime/ssh/index.js';
import { type SshdCluster, startSshdCluster } from '../../harness/runtime/ssh/testing/sshd-cluster.js';
import { missing } from '../../harness/testing/requirements.js';
import { healFromState } from '../heal-from-state.js';
import { HealState } from '../heal-state.js';
import { nemesisContext, removeTempStateDirs } from '../testing/cluster.js';
import { echoTarget } from '../testing/echo-target.js';
import { helperState } from './helper.js';
import { measureRtt, percentile } from './measure.js';
import { delayNemesis } from './nemesis.js';
import { faultlineRules } from './testing/cluster.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'gcc', '/usr/sbin/sshd', 'ssh-keygen'] });

describe.skipIf(needs)('the delay fault on ssh nodes', () => {
  let sshd: SshdCluster | undefined;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    sshd = await startSshdCluster({ name: 'dlys', nodes: 2, subnet: '10.240.6.0/24' });
    runtime = createSshRuntime(sshd.sshOptions(), silentLogger);
    await runtime.up();
  });
  afterAll(async () => {
    try {
      await runtime?.down();
    } finally {
      removeTempStateDirs();
      await sshd?.stop();
    }
  });

  it('delays the link (RTT measured on the nodes) and heals from the recorded state', async () => {
    const rt = runtime!;
    const [a, b] = rt.nodes().map((n) => n.name) as [string, string];
    const ctx = nemesisContext(rt, echoTarget(), { runtimeOptions: { kind: 'ssh', ssh: sshd!.sshOptions() as never } });
    const delay = delayNemesis();
    await delay.setup(ctx);
    const result = await delay.invoke(ctx, { f: 'start-delay', value: { delayMs: 30, jitterMs: 0 } });
    expect(result.error).toBeUndefined();
    const value = result.value as { measuredDelayMs: number };
    console.log(`ssh: delay 30 ms, measured ${value.measuredDelayMs} ms one way`);
    expect(value.measuredDelayMs).toBeGreaterThanOrEqual(29);
    expect(value.measuredDelayMs).toBeLessThan(50);
    for (const n of [a, b]) expect(await helperState(rt, n)).toMatchObject({ running: true, queueBound: true });

    const report = await healFromState(ctx.stateDir, silentLogger);
    expect(report.healed).toEqual(['delay']);
    for (const n of [a, b]) {
      expect(await faultlineRules(rt, n)).toEqual([]);
      expect(await helperState(rt, n)).toEqual({ running: false, pids: [], queueBound: false });
    }
    const address = rt.node(b).address;
    expect(percentile((await measureRtt(rt, a, [address], { count: 10 }))[address]!.samplesMs, 0.5)!).toBeLessThan(10);
    expect(await new HealState(ctx.stateDir).pending()).toEqual([]);
  });
});
