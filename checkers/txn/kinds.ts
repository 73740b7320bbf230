/**
 * The kinds of edge in a transaction dependency graph (Adya's, plus two
 * orders the history itself gives):
 *
 * - ww: T1 wrote a version of a key, T2 wrote the next one (write dependency).
 * - wr: T2 read a version T1 wrote (read dependency).
 * - rw: T1 read a version, T2 wrote the next one (anti-dependency).
 * - rt: T1 completed before T2 was invoked (real time).
 * - process: T2 is the next transaction of T1's process.
 *
 * Kinds are small integers so that edges fit typed arrays; a set of kinds is
 * a bit mask.
 */
export const WW = 0;
export const WR = 1;
export const RW = 2;
export const RT = 3;
export const PROCESS = 4;

export type EdgeKind = typeof WW | typeof WR | typeof RW | typeof RT | typeof PROCESS;
export type EdgeKindName = 'ww' | 'wr' | 'rw' | 'rt' | 'process';

export const KIND_NAMES: readonly EdgeKindName[] = ['ww', 'wr', 'rw', 'rt', 'process'];
export const KIND_COUNT = KIND_NAMES.length;

/** A set of kinds as a bit mask. */
export function maskOf(...kinds: EdgeKind[]): number {
  let mask = 0;
  for (const k of kinds) mask |= 1 << k;
  return mask;
}

export const DATA_MASK = maskOf(WW, WR, RW);
