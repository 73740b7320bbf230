import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { repeatSeed } from './seeds.js';

describe('repeatSeed', () => {
  it('keeps the first seed, and derives the others from it: the same series every time', () => {
    expect(repeatSeed(42, 0)).toBe(42);
    const series = [0, 1, 2, 3, 4].map((i) => repeatSeed(42, i));
    expect([0, 1, 2, 3, 4].map((i) => repeatSeed(42, i))).toEqual(series);
    expect(new Set(series).size).toBe(5);
    expect(repeatSeed(43, 1)).not.toBe(repeatSeed(42, 1));
  });

  it('gives whole numbers in [1, 2^31 - 1), as a random seed is', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 10_000 }), (s, i) => {
        const seed = repeatSeed(s, i);
        return Number.isInteger(seed) && seed >= 1 && seed < 2 ** 31 - 1;
      }),
    );
  });
});
