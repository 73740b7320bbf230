/**
 * Latency quantiles and throughput per time bucket, over every client op of
 * the history (never sampled).
 */
import type { Op } from '../history/op.js';
import { pairOps } from '../history/pair.js';
import type { Buckets } from './page-types.js';

export type { Buckets };

/** At most this many buckets across the run. */
export const MAX_BUCKETS = 200;

const NICE_WIDTHS_US = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8].map((p) => m * p))
  .sort((a, b) => a - b);

/** The smallest round width (1, 2 or 5 × a power of ten µs) giving at most MAX_BUCKETS buckets over `spanUs`. */
export function bucketWidthUs(spanUs: number): number {
  for (const w of NICE_WIDTHS_US) if (spanUs / w <= MAX_BUCKETS) return w;
  return Math.ceil(spanUs / MAX_BUCKETS);
}

/** Nearest-rank quantile of sorted values; q in [0, 1]. Undefined for an empty array. */
export function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

/**
 * Returns quantiles and throughput over `history` (client ops only; an op with
 * no completion has no latency and no throughput). `endNs` is the end of the
 * run; buckets cover [0, endNs].
 */
export function computeBuckets(history: readonly Op[], endNs: number): Buckets {
  const widthUs = bucketWidthUs(Math.max(1, endNs / 1000));
  const count = Math.max(1, Math.ceil(endNs / 1000 / widthUs + 1e-9));
  const bucketOf = (ns: number): number => Math.min(count - 1, Math.max(0, Math.floor(ns / 1000 / widthUs)));

  const latencies: number[][] = Array.from({ length: count }, () => []);
  const perSeries = new Map<string, number[]>();
  // Lenient: a stray completion is skipped, the report still renders.
  for (const { invoke, complete: op } of pairOps(history, { lenient: true })) {
    if (op === undefined) continue;
    const start = invoke.time;
    latencies[bucketOf(start)]!.push((op.time - start) / 1e6);
    const label = `${op.f} ${op.type}`;
    let series = perSeries.get(label);
    if (!series) perSeries.set(label, (series = new Array<number>(count).fill(0)));
    series[bucketOf(op.time)]! += 1;
  }

  const result: Buckets = { widthUs, t: [], p50: [], p95: [], p99: [], max: [], throughput: [] };
  for (let b = 0; b < count; b++) {
    const sorted = latencies[b]!.sort((x, y) => x - y);
    result.t.push(b * widthUs);
    result.p50.push(round3(quantile(sorted, 0.5)));
    result.p95.push(round3(quantile(sorted, 0.95)));
    result.p99.push(round3(quantile(sorted, 0.99)));
    result.max.push(round3(quantile(sorted, 1)));
  }
  const perSecond = 1e6 / widthUs;
  for (const [label, counts] of [...perSeries].sort(([a], [b]) => a.localeCompare(b))) {
    result.throughput.push({ label, values: counts.map((n) => round3(n * perSecond)!) });
  }
  return result;
}

function round3(x: number | undefined): number | null {
  return x === undefined ? null : Math.round(x * 1000) / 1000;
}
