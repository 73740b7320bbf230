/**
 * The seeds of a repeated test (`--test-count N`): the first run keeps its
 * seed; each later run gets one derived from it and its position, so the
 * same first seed always gives the same series (and each run's seed is in
 * its test.json, for `faultline repro`).
 */

/** The seed of run `index` (0 for the first) of a series whose first seed is `first`: a whole number in [1, 2^31 - 1). */
export function repeatSeed(first: number, index: number): number {
  if (index === 0) return first;
  // A 32-bit integer hash (murmur3's finalizer) of the first seed mixed with the index.
  let h = (first ^ Math.imul(index, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return (h % (2 ** 31 - 2)) + 1;
}
