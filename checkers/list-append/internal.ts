/**
 * Anomalies visible inside one committed list-append transaction:
 *
 * - internal: a read disagrees with the transaction's own earlier read or
 *   appends of that key. After a read of [1, 2] and an append of 3, the next
 *   read must be [1, 2, 3]; after only an append of 3, it must end in 3.
 * - future-read: a read shows an element the transaction itself appends to
 *   that key only later.
 */
import type { Json } from '../../harness/history/op.js';
import type { Mop } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';

export interface InternalCase {
  /** The read that disagrees. */
  mop: number;
  /** What it should have read: the whole list, or (unknownPrefix) how it should end. */
  expected: Json[];
  unknownPrefix: boolean;
}

/** The first internal inconsistency of a transaction, or undefined. */
export function internalCase(mops: readonly Mop[]): InternalCase | undefined {
  if (mops.length < 2) return undefined;
  const keys: ValueKey[] = [];
  const states: { list: Json[]; unknownPrefix: boolean }[] = [];
  for (let i = 0; i < mops.length; i++) {
    const [f, k, v] = mops[i]!;
    const kk = valueKey(k);
    let at = keys.indexOf(kk);
    if (f === 'append') {
      if (at === -1) {
        keys.push(kk);
        states.push({ list: [v], unknownPrefix: true });
      } else states[at]!.list = [...states[at]!.list, v];
      continue;
    }
    const read = v as Json[];
    if (at !== -1) {
      const state = states[at]!;
      if (!matches(read, state.list, state.unknownPrefix)) {
        return { mop: i, expected: state.list, unknownPrefix: state.unknownPrefix };
      }
    } else {
      keys.push(kk);
      states.push({ list: read, unknownPrefix: false });
      at = keys.length - 1;
    }
    states[at] = { list: read, unknownPrefix: false };
  }
  return undefined;
}

function matches(read: Json[], expected: Json[], unknownPrefix: boolean): boolean {
  if (unknownPrefix ? read.length < expected.length : read.length !== expected.length) return false;
  const offset = read.length - expected.length;
  for (let i = 0; i < expected.length; i++) if (valueKey(read[offset + i]!) !== valueKey(expected[i]!)) return false;
  return true;
}

export interface FutureReadCase {
  /** The read, and the later append of an element it showed. */
  readMop: number;
  appendMop: number;
  element: Json;
}

/** The first read of an element the transaction appends to that key later, or undefined. */
export function futureReadCase(mops: readonly Mop[]): FutureReadCase | undefined {
  for (let j = 1; j < mops.length; j++) {
    const [f, k, v] = mops[j]!;
    if (f !== 'append') continue;
    const kk = valueKey(k);
    const e = valueKey(v);
    for (let i = 0; i < j; i++) {
      const m = mops[i]!;
      if (m[0] === 'r' && valueKey(m[1]) === kk && (m[2] as Json[]).some((x) => valueKey(x) === e)) {
        return { readMop: i, appendMop: j, element: v };
      }
    }
  }
  return undefined;
}
