import { describe, expect, it } from 'vitest';
import { limit } from './limits.js';
import { simulate } from './simulate.js';
import { delay, sleep, stagger } from './timing.js';

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const read = () => ({ f: 'r' });

describe('delay', () => {
  it('spaces ops exactly', () => {
    const r = simulate(limit(5, delay(0.5, read)), { concurrency: 4, latencyNs: 1e6 });
    expect(r.invocations.map((o) => o.time)).toEqual([0, 0.5e9, 1e9, 1.5e9, 2e9]);
  });
  it('catches up after falling behind (ops slower than the period)', () => {
    // one thread, each op takes 0.25 s, period 0.1 s: ops run back to back
    const r = simulate(limit(4, delay(0.1, read)), { concurrency: 1, latencyNs: 0.25e9 });
    expect(r.invocations.map((o) => o.time)).toEqual([0, 0.25e9, 0.5e9, 0.75e9]);
  });
});

describe('stagger', () => {
  it('gaps are random in [0, 2 * period) and average the period', () => {
    const r = simulate(limit(2000, stagger(0.01, read)), { concurrency: 10, latencyNs: 1e5, seed: 5 });
    const g = gaps(r.invocations.map((o) => o.time));
    expect(Math.min(...g)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...g)).toBeLessThan(0.02e9);
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    expect(mean).toBeGreaterThan(0.009e9);
    expect(mean).toBeLessThan(0.011e9);
    expect(new Set(g).size).toBeGreaterThan(1000);
  });
  it('the same seed gives the same schedule; another seed another', () => {
    const times = (seed: number) =>
      simulate(limit(50, stagger(0.01, read)), { concurrency: 3, seed }).invocations.map((o) => o.time);
    expect(times(1)).toEqual(times(1));
    expect(times(1)).not.toEqual(times(2));
  });
  it('rejects a negative period', () => {
    expect(() => stagger(-1, read)).toThrow(RangeError);
  });
});

describe('sleep', () => {
  it('pauses a sequence for the given time', () => {
    const r = simulate([{ f: 'a' }, sleep(3), { f: 'b' }], { concurrency: 1, latencyNs: 0 });
    expect(r.invocations.map((o) => [o.f, o.time])).toEqual([
      ['a', 0],
      ['b', 3e9],
    ]);
  });
  it('sleep(0) is done at once', () => {
    const r = simulate([sleep(0), { f: 'b' }], { concurrency: 1 });
    expect(r.invocations[0]!.time).toBe(0);
  });
});
