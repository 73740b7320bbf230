import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bits } from './bits.js';

const bitsOf = (size: number, members: number[]) => {
  const b = new Bits(size);
  for (const m of members) b.add(m);
  return b;
};

describe('Bits', () => {
  it('agrees with a Set on membership, missing members, absent members and merging', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 130 })
          .chain((size) =>
            fc.tuple(
              fc.constant(size),
              fc.uniqueArray(fc.nat(size - 1)),
              fc.uniqueArray(fc.nat(size - 1)),
              fc.nat(size),
            ),
          ),
        ([size, xs, ys, end]) => {
          const a = bitsOf(size, xs);
          const b = bitsOf(size, ys);
          const inB = new Set(ys);
          for (let i = 0; i < size; i++) expect(a.has(i)).toBe(xs.includes(i));
          const missing = xs.filter((x) => !inB.has(x)).sort((p, q) => p - q);
          expect(a.missingFrom(b)).toEqual(missing);
          expect(a.anyMissingFrom(b)).toBe(missing.length > 0);
          const absent = Array.from({ length: end }, (_, i) => i).filter((i) => !inB.has(i));
          expect(b.absentBelow(end)).toEqual(absent);
          const copy = a.copy();
          expect(copy.addAll(b)).toBe(ys.some((y) => !xs.includes(y)));
          for (let i = 0; i < size; i++) expect(copy.has(i)).toBe(xs.includes(i) || inB.has(i));
          expect(a.missingFrom(b)).toEqual(missing); // the copy is independent
        },
      ),
      { numRuns: 300 },
    );
  });
});
