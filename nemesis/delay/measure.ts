/**
 * Verifying that a delay took effect: round-trip times between nodes, by TCP
 * connect (`faultline-delay rtt`, the helper binary's probe mode, so it runs
 * on any node the helper runs on). One sample is a SYN out and the peer
 * kernel's SYN-ACK or RST back: over a delayed link (delayed both ways) it
 * carries the delay twice, so the one-way delay measured is half the added RTT.
 */
import type { Runtime } from '../../harness/runtime/runtime.js';
import { helperPaths } from './helper.js';

export interface RttSummary {
  /** Samples answered, and samples that got no answer in time. */
  samples: number;
  timeouts: number;
  /** Null when no sample was answered. */
  medianMs: number | null;
  p99Ms: number | null;
}

/** The nearest-rank percentile `p` (0..1) of `values`; undefined for none (pure). */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const round = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms * 100) / 100);

/** Median and p99 of samples in milliseconds (pure). */
export function summarize(samplesMs: readonly number[], timeouts = 0): RttSummary {
  return {
    samples: samplesMs.length,
    timeouts,
    medianMs: round(percentile(samplesMs, 0.5)),
    p99Ms: round(percentile(samplesMs, 0.99)),
  };
}

export interface RttOptions {
  count?: number;
  intervalMs?: number;
  timeoutMs?: number;
  port?: number;
  /** Stop probing an address after this many timeouts (default 2). */
  giveUpAfter?: number;
}

/**
 * Round trips from `node` to each of `addresses` (`count` rounds, default 10;
 * an address is given up after `giveUpAfter` timeouts, default 2). The helper binary must be on
 * the node (installHelper). Resolves with the samples (ms) and the number of
 * timeouts per address; rejects with RuntimeCommandError when the probe fails.
 */
export async function measureRtt(
  runtime: Pick<Runtime, 'exec' | 'nodeDir'>,
  node: string,
  addresses: readonly string[],
  opts: RttOptions = {},
): Promise<Record<string, { samplesMs: number[]; timeouts: number }>> {
  const count = opts.count ?? 10;
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const { stdout } = await runtime.exec(
    node,
    [
      helperPaths(runtime, node).binary,
      'rtt',
      '--to',
      addresses.join(','),
      '--count',
      String(count),
      '--interval-ms',
      String(opts.intervalMs ?? 10),
      '--timeout-ms',
      String(timeoutMs),
      '--port',
      String(opts.port ?? 9),
      '--give-up',
      String(opts.giveUpAfter ?? 2),
    ],
    { timeoutMs: count * addresses.length * (timeoutMs + 1_000) + 10_000 },
  );
  const out: Record<string, { samplesMs: number[]; timeouts: number }> = Object.fromEntries(
    addresses.map((a) => [a, { samplesMs: [], timeouts: 0 }]),
  );
  for (const line of stdout.trim().split('\n')) {
    const [address, value] = line.split(' ');
    const entry = out[address ?? ''];
    if (!entry) continue;
    if (value === 'timeout') entry.timeouts++;
    else if (value !== undefined && /^\d+$/.test(value)) entry.samplesMs.push(Number(value) / 1000);
  }
  return out;
}
