/**
 * The delay fault's userspace scheduler on this machine (needs root; a
 * 2-node netns cluster): n1's packets to n2 go through the helper with a
 * 10 ms delay and no jitter, while a stream of numbered UDP packets (64-byte
 * payload, nemesis/delay/testing/udp-blast.c) runs from n1 to n2 at fixed
 * rates for a few seconds each.
 *
 * - Added CPU per 1,000 packets/s: the helper's utime + stime
 *   (/proc/PID/stat) over the stream, as a share of one core, divided by the
 *   rate in thousands.
 * - Added delay: a one-way delay percentile (sender and receiver share the
 *   host's monotonic clock) minus the 10 ms asked for, minus the same
 *   percentile of a run at the same rate without the helper (the stream's own
 *   path). The largest rate the scheduler sustains is the largest whose median
 *   excess is at most 1 ms with no loss; the p99 excess is printed beside it
 *   and its own largest rate too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { isRoot } from '../harness/testing/requirements.js';
import { helperBinary, installHelper, startHelper, stopHelper } from '../nemesis/delay/helper.js';
import { DELAY_DEFAULTS, helperArgs } from '../nemesis/delay/options.js';
import { DELAY_QUEUE, DUP_MARK, installDelayRules, removeDelayRules } from '../nemesis/delay/rules.js';
import { delayTestRuntime } from '../nemesis/delay/testing/cluster.js';
import { udpBlast } from '../nemesis/delay/testing/udp-blast.js';

const DELAY_MS = 10;
const SECONDS = 4;
const RATES = [1_000, 2_000, 5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 100_000];

/** utime + stime of a host pid, in clock ticks. */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const fmt = (x: number, digits = 2) => x.toFixed(digits);

export async function run(): Promise<void> {
  if (!isRoot()) {
    console.log('skipped: the delay benchmark needs root (netns nodes)');
    return;
  }
  helperBinary();
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const runtime = delayTestRuntime('bench', 2);
  await runtime.up();
  try {
    await installHelper(runtime, 'n1');
    const n2 = runtime.node('n2').address;
    const stream = (rate: number) => udpBlast(runtime, 'n1', 'n2', { rate, count: rate * SECONDS, size: 64 });
    console.log(`delay ${DELAY_MS} ms, no jitter; ${SECONDS} s of 64-byte UDP packets n1 -> n2 at each rate`);
    const load = () =>
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    console.log(`${os.cpus().length} cores, load average ${load()} (other work on the host shifts these figures)`);
    console.log(
      'rate/s  achieved    loss  helper CPU   per 1k pps   median excess   p99 excess   (no helper: median, p99)   helper late max',
    );
    let byMedian = 0;
    let byP99 = 0;
    let medianOk = true;
    let p99Ok = true;
    const perThousand: number[] = [];
    for (const rate of RATES) {
      const base = await stream(rate);
      const pid = await startHelper(
        runtime,
        'n1',
        helperArgs({ ...DELAY_DEFAULTS, delayMs: DELAY_MS, jitterMs: 0 }, DELAY_QUEUE, DUP_MARK, 1),
      );
      await installDelayRules(runtime, 'n1', [n2]);
      const t0 = performance.now();
      const ticks0 = cpuTicks(pid);
      const r = await stream(rate);
      const ticks = cpuTicks(pid) - ticks0;
      const seconds = (performance.now() - t0) / 1000;
      await removeDelayRules(runtime, 'n1');
      const stats = (await stopHelper(runtime, 'n1')) ?? {};
      const core = ticks / ticksPerSecond / seconds;
      // The rate the sender achieved (on a loaded machine it falls behind the one asked for).
      const achieved = (rate * SECONDS) / r.sendSeconds;
      perThousand.push(core / (achieved / 1000));
      const count = rate * SECONDS;
      const loss = 1 - r.unique / count;
      const medianExcess = r.p50Ms - DELAY_MS - base.p50Ms;
      const p99Excess = r.p99Ms - DELAY_MS - base.p99Ms;
      const drops =
        (stats.kernel_queue_dropped ?? 0) +
        (stats.kernel_user_dropped ?? 0) +
        (stats.dropped ?? 0) +
        (stats.overruns ?? 0);
      console.log(
        [
          String(rate).padStart(6),
          String(Math.round(achieved)).padStart(8),
          `${fmt(loss * 100, 1)}%`.padStart(7),
          `${fmt(core * 100, 1)}%`.padStart(11),
          `${fmt((core * 100) / (achieved / 1000))}%`.padStart(12),
          `${fmt(medianExcess)} ms`.padStart(15),
          `${fmt(p99Excess)} ms`.padStart(12),
          `(${fmt(base.p50Ms)}, ${fmt(base.p99Ms)}) ms`.padStart(26),
          `${fmt((stats.late_max_us ?? 0) / 1000)} ms`.padStart(17),
          drops > 0 ? `  drops: ${JSON.stringify(stats)}` : '',
        ].join(' '),
      );
      const baseLoss = 1 - base.unique / count;
      // The largest rate up to which every rate passed.
      medianOk &&= loss <= 0.001 && medianExcess <= 1;
      if (medianOk) byMedian = rate;
      p99Ok &&= loss <= 0.001 && p99Excess <= 1;
      if (p99Ok) byP99 = rate;
      if (baseLoss > 0.01 || loss > 0.2) break; // past what this machine's stream (or the helper) carries
    }
    console.log(`load average at the end: ${load()}`);
    // Not linear: at low rates every packet costs two wake-ups (arrival, release); at high rates they batch.
    console.log(
      `helper CPU per 1,000 packets/s: ${fmt(perThousand[0]! * 100)}% of a core at 1,000/s; ${fmt(
        Math.min(...perThousand) * 100,
      )}% at the cheapest rate above (wake-ups batch as the rate grows)`,
    );
    console.log(
      `largest rate adding at most 1 ms to the requested ${DELAY_MS} ms: ${byMedian || 'none'} packets/s by the median, ${byP99 || 'none'} by the p99`,
    );
  } finally {
    await runtime.down();
  }
}
