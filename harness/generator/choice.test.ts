import { describe, expect, it } from 'vitest';
import { any, flipFlop, mix } from './choice.js';
import { limit, repeat } from './limits.js';
import { simulate } from './simulate.js';
import { delay, sleep } from './timing.js';

const fs = (ops: { f: string }[]) => ops.map((o) => o.f).join(' ');

describe('any', () => {
  it('takes whichever op is due soonest', () => {
    const r = simulate(
      limit(
        6,
        any(
          delay(1, () => ({ f: 'slow' })),
          delay(0.4, () => ({ f: 'fast' })),
        ),
      ),
      {
        concurrency: 2,
        latencyNs: 0,
      },
    );
    expect(r.invocations.map((o) => [o.f, o.time / 1e9])).toEqual([
      [expect.any(String), 0],
      [expect.any(String), 0],
      ['fast', 0.4],
      ['fast', 0.8],
      ['slow', 1],
      ['fast', 1.2],
    ]);
  });
  it("is done when all are done, and honours a sleeping branch's wake-up time", () => {
    const r = simulate(any([sleep(5), { f: 'late' }], { f: 'early' }), { concurrency: 1, latencyNs: 0 });
    expect(r.invocations.map((o) => [o.f, o.time / 1e9])).toEqual([
      ['early', 0],
      ['late', 5],
    ]);
    expect(r.stopped).toBe('done');
  });
});

describe('mix', () => {
  const gen = () =>
    limit(
      1000,
      mix(
        () => ({ f: 'a' }),
        () => ({ f: 'b' }),
        () => ({ f: 'c' }),
      ),
    );
  it('draws from every generator, roughly uniformly', () => {
    const r = simulate(gen(), { concurrency: 4, seed: 9 });
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (const o of r.invocations) counts[o.f]!++;
    for (const n of Object.values(counts)) expect(n).toBeGreaterThan(250);
  });
  it('follows the seed', () => {
    const seq = (seed: number) => fs(simulate(gen(), { concurrency: 4, seed }).invocations);
    expect(seq(3)).toBe(seq(3));
    expect(seq(3)).not.toBe(seq(4));
  });
  it('drops generators that are done and ends when all are', () => {
    const r = simulate(mix({ f: 'a' }, repeat(3, { f: 'b' })), { concurrency: 1 });
    expect(fs(r.invocations).split(' ').sort()).toEqual(['a', 'b', 'b', 'b']);
    expect(r.stopped).toBe('done');
  });
});

describe('flipFlop', () => {
  it('alternates and ends when the one whose turn it is ends', () => {
    const r = simulate(
      flipFlop(repeat(3, { f: 'a' }), () => ({ f: 'b' })),
      { concurrency: 2 },
    );
    expect(fs(r.invocations)).toBe('a b a b a b');
  });
});
