/**
 * The netem path: its tc words (pure), and detection on a real node. This
 * machine's kernel has no netem, so here the nemesis must pick the userspace
 * scheduler under "auto" and refuse "netem" plainly; installing netem itself
 * runs only on a kernel that has it.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { missing } from '../../harness/testing/requirements.js';
import { nemesisContext, removeTempStateDirs } from '../testing/cluster.js';
import { echoTarget } from '../testing/echo-target.js';
import { healDelay } from './heal.js';
import { delayNemesis } from './nemesis.js';
import { netemArgs, probeNetem } from './netem.js';
import { DELAY_DEFAULTS } from './options.js';
import { delayTestRuntime } from './testing/cluster.js';

/** Whether this kernel was built with netem, from /proc/config.gz; undefined when it does not say. */
function kernelHasNetem(): boolean | undefined {
  try {
    const config = execFileSync('sh', ['-c', 'zcat /proc/config.gz'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    return /^CONFIG_NET_SCH_NETEM=[ym]$/m.test(config);
  } catch {
    return undefined;
  }
}

describe('netem words', () => {
  it('maps every option to netem', () => {
    expect(netemArgs(DELAY_DEFAULTS).join(' ')).toBe('delay 50ms 10ms limit 100000');
    expect(
      netemArgs({
        ...DELAY_DEFAULTS,
        delayMs: 30,
        jitterMs: 5,
        distribution: 'normal',
        reorder: 0.25,
        duplicate: 0.01,
        rate: '1mbit',
        limit: 1000,
      }).join(' '),
    ).toBe('delay 30ms 5ms distribution normal reorder 25% duplicate 1% rate 1mbit limit 1000');
    expect(netemArgs({ ...DELAY_DEFAULTS, jitterMs: 0, distribution: 'normal' }).join(' ')).toBe(
      'delay 50ms limit 100000',
    );
  });
});

const needs = missing({ root: true, commands: ['ip', 'iptables', 'tc', 'gcc'] });

describe.skipIf(needs)('netem detection on a netns node', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = delayTestRuntime('netem', 2);
    await runtime.up();
  });
  afterAll(async () => {
    if (!runtime) return;
    try {
      await healDelay(runtime, ['n1', 'n2']);
    } finally {
      await runtime.down();
      removeTempStateDirs();
    }
  });

  it('says what the kernel config says, and leaves lo as it was', async () => {
    const before = (await runtime.exec('n1', ['tc', 'qdisc', 'show', 'dev', 'lo'])).stdout;
    const probed = await probeNetem(runtime, 'n1');
    const expected = kernelHasNetem();
    console.log(`netem on this kernel: probe says ${probed}, /proc/config.gz says ${expected}`);
    if (expected !== undefined) expect(probed).toBe(expected ? 'yes' : 'no');
    expect((await runtime.exec('n1', ['tc', 'qdisc', 'show', 'dev', 'lo'])).stdout).toBe(before);
  });

  it.skipIf(kernelHasNetem() !== false)(
    'without netem: auto uses the userspace scheduler; mechanism "netem" is refused naming the node',
    async () => {
      const ctx = nemesisContext(runtime, echoTarget());
      const auto = await delayNemesis().invoke(ctx, { f: 'start-delay', value: { delayMs: 5 } });
      expect(auto.error).toBeUndefined();
      expect(auto.value).toMatchObject({ mechanism: 'nfqueue' });
      await healDelay(runtime, ['n1', 'n2']);
      const forced = await delayNemesis({ mechanism: 'netem' }).invoke(ctx, {
        f: 'start-delay',
        value: { delayMs: 5 },
      });
      expect(forced.error).toMatch(/netem is not available on n1.*; n2: netem is not available on n2/);
    },
  );
});
