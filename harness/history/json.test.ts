import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, nestedDeeperThan } from './json.js';
import type { Json } from './op.js';

/** The plain recursive definition (overflows the stack on deep values; fine for these). */
function reference(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference(value[k]!)}`).join(',')}}`;
}

/** A value nested `depth` levels, alternating lists and maps with siblings. */
const deep = (depth: number, leaf: Json): Json => {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value, i, null] : { b: value, a: String(i) };
  return value;
};

describe('canonicalJson', () => {
  it('is the sorted-keys text of any value, shallow or past the recursion limit', () => {
    fc.assert(
      fc.property(fc.jsonValue() as fc.Arbitrary<Json>, fc.nat({ max: 150 }), (leaf, depth) => {
        const value = deep(depth, leaf);
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 300 },
    );
  });

  it('writes values far deeper than the stack allows recursion', () => {
    expect(canonicalJson(deep(200_000, 1)).length).toBeGreaterThan(200_000);
  });
});

describe('nestedDeeperThan', () => {
  it('counts levels of lists and maps', () => {
    expect(nestedDeeperThan(1, 0)).toBe(false);
    expect(nestedDeeperThan([], 0)).toBe(true);
    expect(nestedDeeperThan([[1], { a: 1 }], 2)).toBe(false);
    expect(nestedDeeperThan([[1], { a: {} }], 2)).toBe(true);
    expect(nestedDeeperThan(deep(100_000, 1), 99_999)).toBe(true);
  });
});
