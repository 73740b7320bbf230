/**
 * Random transactions over a pool of keys, with Elle's knobs:
 *
 * - activeKeys: how many keys are in play at once (Elle's key-count);
 * - minTxnLength / maxTxnLength: micro-ops per transaction;
 * - maxWritesPerKey: after this many writes a key is retired and a fresh
 *   one (the next unused integer) takes its place, so versions stay short
 *   and inference stays cheap;
 * - keyDistribution: uniform, or exponential (each key twice as likely as
 *   the one before it, so some keys are hot), as in Elle.
 *
 * Each micro-op reads or writes (appends, for list-append) a key; written
 * values are 1, 2, 3, ... per key, so every write is unique. The pool is an
 * immutable value: a generator carries it, never a closure.
 */
import { UserError } from '../../harness/history/errors.js';
import type { Json } from '../../harness/history/op.js';
import type { Rng } from '../../harness/history/random.js';

export interface TxnKnobs {
  activeKeys: number;
  minTxnLength: number;
  maxTxnLength: number;
  maxWritesPerKey: number;
  keyDistribution: 'uniform' | 'exponential';
}

export const DEFAULT_KNOBS: TxnKnobs = {
  activeKeys: 10,
  minTxnLength: 1,
  maxTxnLength: 4,
  maxWritesPerKey: 100,
  keyDistribution: 'exponential',
};

/** The keys in play and how many writes each has had. */
export interface KeyPool {
  readonly keys: readonly number[];
  readonly writes: readonly number[];
  readonly nextKey: number;
}

export function initialPool(knobs: TxnKnobs): KeyPool {
  return {
    keys: Array.from({ length: knobs.activeKeys }, (_, i) => i),
    writes: new Array<number>(knobs.activeKeys).fill(0),
    nextKey: knobs.activeKeys,
  };
}

/** Throws UserError naming the option when a knob is not a positive whole number (or the lengths are reversed). */
export function validateKnobs(knobs: TxnKnobs): TxnKnobs {
  for (const name of ['activeKeys', 'minTxnLength', 'maxTxnLength', 'maxWritesPerKey'] as const) {
    const v = knobs[name];
    if (!Number.isInteger(v) || v < 1) {
      throw new UserError(`must be a positive whole number, got ${v}`, { where: `test.workloadOptions.${name}` });
    }
  }
  if (knobs.maxTxnLength < knobs.minTxnLength) {
    throw new UserError(`must be at least minTxnLength (${knobs.minTxnLength}), got ${knobs.maxTxnLength}`, {
      where: 'test.workloadOptions.maxTxnLength',
    });
  }
  if (knobs.keyDistribution !== 'uniform' && knobs.keyDistribution !== 'exponential') {
    throw new UserError(`must be uniform or exponential, got ${JSON.stringify(knobs.keyDistribution)}`, {
      where: 'test.workloadOptions.keyDistribution',
    });
  }
  return knobs;
}

/**
 * The next transaction: micro-ops [read, key, null] or [write, key, value]
 * (write is "append" or "w"), and the pool after it.
 */
export function nextTxn(pool: KeyPool, rng: Rng, knobs: TxnKnobs, write: string): { mops: Json[][]; pool: KeyPool } {
  const keys = [...pool.keys];
  const writes = [...pool.writes];
  let nextKey = pool.nextKey;
  const length = knobs.minTxnLength + rng.int(knobs.maxTxnLength - knobs.minTxnLength + 1);
  const mops: Json[][] = [];
  for (let i = 0; i < length; i++) {
    const slot = pickSlot(rng, keys.length, knobs.keyDistribution);
    const key = keys[slot]!;
    if (rng.int(2) === 0) {
      mops.push(['r', key, null]);
      continue;
    }
    writes[slot]!++;
    mops.push([write, key, writes[slot]!]);
    if (writes[slot]! >= knobs.maxWritesPerKey) {
      keys[slot] = nextKey++;
      writes[slot] = 0;
    }
  }
  return { mops, pool: { keys, writes, nextKey } };
}

/** A slot of n: uniform, or exponential (slot i + 1 twice as likely as slot i). */
function pickSlot(rng: Rng, n: number, distribution: TxnKnobs['keyDistribution']): number {
  if (distribution === 'uniform' || n === 1) return rng.int(n);
  // P(i) ∝ 2^i: invert the cumulative 2^(i+1) - 1 over 2^n - 1.
  const u = rng.next() * (2 ** n - 1);
  return Math.min(n - 1, Math.floor(Math.log2(u + 1)));
}
