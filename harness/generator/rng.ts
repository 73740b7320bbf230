import type { Rng } from './generator.js';

/**
 * mulberry32: a small, fast deterministic source of 32-bit unsigned integers.
 * Everything random in faultline (schedules, Zobrist hashes) flows from seeds
 * through it, so any run can be replayed.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The test's random numbers, from its seed. */
export function seededRng(seed: number): Rng {
  const uint32 = mulberry32(seed);
  const next = () => uint32() / 4294967296;
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
  };
}
