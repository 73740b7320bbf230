/**
 * Deterministic random numbers from a seed. Everything random in faultline
 * (schedules, generated histories, the checker's Zobrist hashes) flows from
 * seeds through mulberry32, so any run can be replayed. A leaf like the rest
 * of harness/history/, so that checkers can use it too.
 */

/** Deterministic random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** mulberry32: a small, fast deterministic source of 32-bit unsigned integers. */
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

/** Random numbers from `seed`. */
export function seededRng(seed: number): Rng {
  const uint32 = mulberry32(seed);
  const next = () => uint32() / 4294967296;
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
  };
}
