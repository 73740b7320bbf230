import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { bucketWidthUs, computeBuckets, MAX_BUCKETS, quantile } from './buckets.js';

function op(index: number, type: Op['type'], process: number, time: number, f = 'read'): Op {
  return { index, type, process, f, time } as Op;
}

describe('quantile', () => {
  it('is the nearest-rank quantile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (xs, q) => {
          const sorted = [...xs].sort((a, b) => a - b);
          const got = quantile(sorted, q)!;
          // At least a fraction q of the values are <= it, and it is one of them.
          expect(sorted).toContain(got);
          expect(sorted.filter((x) => x <= got).length).toBeGreaterThanOrEqual(Math.ceil(q * sorted.length));
          expect(sorted.filter((x) => x < got).length).toBeLessThan(Math.max(1, Math.ceil(q * sorted.length)));
        },
      ),
    );
  });
  it('is undefined for no values', () => expect(quantile([], 0.5)).toBeUndefined());
});

describe('bucketWidthUs', () => {
  it('gives at most MAX_BUCKETS buckets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e12 }), (span) => {
        expect(span / bucketWidthUs(span)).toBeLessThanOrEqual(MAX_BUCKETS);
      }),
    );
  });
});

describe('computeBuckets', () => {
  it('counts every completion once and computes latencies in ms', () => {
    const ms = 1e6;
    const history: Op[] = [
      op(0, 'invoke', 0, 0),
      op(1, 'invoke', 1, 1 * ms),
      op(2, 'ok', 0, 2 * ms),
      op(3, 'fail', 1, 5 * ms),
      op(4, 'invoke', 0, 900 * ms),
      op(5, 'info', 0, 1000 * ms),
      op(6, 'invoke', 2, 1000 * ms), // never completes: no latency, no throughput
      { index: 7, type: 'info', process: 'nemesis', f: 'start-partition', time: 10 * ms } as Op,
    ];
    const b = computeBuckets(history, 1000 * ms);
    const perSecond = 1e6 / b.widthUs;
    const total = b.throughput.reduce((n, s) => n + s.values.reduce((a, v) => a + v / perSecond, 0), 0);
    expect(Math.round(total)).toBe(3);
    expect(b.throughput.map((s) => s.label)).toEqual(['read fail', 'read info', 'read ok']);
    expect(b.max.filter((v) => v !== null).sort((x, y) => x! - y!)).toEqual([4, 100]);
    expect(b.p50[0]).toBe(2);
  });
  it('skips a completion with no invocation instead of throwing', () => {
    expect(() => computeBuckets([op(0, 'ok', 3, 10)], 10)).not.toThrow();
  });
});
