/**
 * What a register transaction shows the outside world, key by key (Elle's
 * external reads and writes): its first read of a key, when no write of
 * that key came before it in the transaction (a read after its own write
 * sees its own write: nothing external), and its last write of the key.
 * A transaction's first version of a key is its external read, else its
 * external write; its final version is its external write, else its read.
 *
 * Also: internal consistency, a read that disagrees with the transaction's
 * own earlier read or write of the key.
 */
import type { Json } from '../../harness/history/op.js';
import type { Mop } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';

export interface Ext {
  key: Json;
  kk: ValueKey;
  /** The external read's value (null: read the initial nil); undefined: none. */
  read: Json | undefined;
  readMop: number;
  /** The external (last) write's value; undefined: none. */
  write: Json | undefined;
  writeMop: number;
  /** Values this transaction wrote to the key before its last write (intermediate versions). */
  intermediate: Json[];
}

/** The external reads and writes of a transaction, one entry per key it touched. */
export function externals(mops: readonly Mop[]): Ext[] {
  const exts: Ext[] = [];
  for (let i = 0; i < mops.length; i++) {
    const [f, k, v] = mops[i]!;
    const kk = valueKey(k);
    let ext = exts.find((e) => e.kk === kk);
    if (!ext) {
      ext = { key: k, kk, read: undefined, readMop: -1, write: undefined, writeMop: -1, intermediate: [] };
      exts.push(ext);
    }
    if (f === 'w') {
      if (ext.write !== undefined) ext.intermediate.push(ext.write);
      ext.write = v;
      ext.writeMop = i;
    } else if (ext.write === undefined && ext.readMop === -1) {
      ext.read = v;
      ext.readMop = i;
    }
  }
  return exts;
}

/** The first read that disagrees with the transaction's own earlier read or write of its key, or undefined. */
export function internalCase(mops: readonly Mop[]): { mop: number; expected: Json } | undefined {
  if (mops.length < 2) return undefined;
  const known = new Map<ValueKey, Json>();
  for (let i = 0; i < mops.length; i++) {
    const [f, k, v] = mops[i]!;
    const kk = valueKey(k);
    if (f === 'r' && known.has(kk) && valueKey(known.get(kk)!) !== valueKey(v)) {
      return { mop: i, expected: known.get(kk)! };
    }
    known.set(kk, v);
  }
  return undefined;
}
