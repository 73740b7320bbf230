/**
 * One pass over the transactions of a list-append history, gathering per
 * key what the version-order inference needs: who appended each element
 * (committed or possibly committed, and failed, separately), which appends
 * a transaction later followed with another append to the same key
 * (intermediate states), the ok reads of the key and the longest of them.
 *
 * Keys and elements are compared as JSON values: numbers and strings as
 * themselves, anything else by its canonical text.
 */
import { MalformedHistoryError } from '../../harness/history/errors.js';
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { FAIL, OK, type Txns } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';

export class KeyState {
  /** Element → the ok or info transaction that appended it. */
  readonly writer = new Map<ValueKey, number>();
  /** Element → the failed transaction that appended it. */
  readonly failedWriter = new Map<ValueKey, number>();
  /** Element → its appender, when that transaction appended to this key again afterwards. */
  readonly intermediate = new Map<ValueKey, number>();
  /** Ok and info appends, in invocation order: appender and element. */
  readonly appendTxns: number[] = [];
  readonly appendElements: Json[] = [];
  /** Ok reads: transaction and micro-op position. */
  readonly readTxns: number[] = [];
  readonly readMops: number[] = [];
  /** The longest ok read: index into readTxns, -1 when none read anything. */
  longest = -1;
  longestLength = 0;

  constructor(readonly key: Json) {}
}

/**
 * Gathers the keys. Throws MalformedHistoryError when an element is
 * appended to a key more than once (list-append needs unique appends to
 * infer version orders).
 */
export function gatherKeys(txns: Txns): Map<ValueKey, KeyState> {
  const keys = new Map<ValueKey, KeyState>();
  for (let t = 0; t < txns.count; t++) {
    const mops = txns.mops[t]!;
    const status = txns.status[t]!;
    for (let i = 0; i < mops.length; i++) {
      const [f, k, v] = mops[i]!;
      const kk = valueKey(k);
      let state = keys.get(kk);
      if (!state) keys.set(kk, (state = new KeyState(k)));
      if (f === 'append') {
        const e = valueKey(v);
        const earlier = state.writer.get(e) ?? state.failedWriter.get(e);
        if (earlier !== undefined) {
          throw new MalformedHistoryError(
            `${show(v)} is appended to key ${show(k)} again (first by the transaction invoked at op ` +
              `${txns.invokeIndex[earlier]}); list-append needs every appended element to be unique per key`,
            txns.invokeIndex[t]!,
          );
        }
        if (status === FAIL) state.failedWriter.set(e, t);
        else {
          state.writer.set(e, t);
          state.appendTxns.push(t);
          state.appendElements.push(v);
        }
        if (appendsAgain(mops, i, kk)) state.intermediate.set(e, t);
      } else if (status === OK) {
        const length = (v as Json[]).length;
        state.readTxns.push(t);
        state.readMops.push(i);
        if (length > state.longestLength) {
          state.longestLength = length;
          state.longest = state.readTxns.length - 1;
        }
      }
    }
  }
  return keys;
}

/** Whether mops after position i append to key kk again. */
function appendsAgain(mops: Txns['mops'][number], i: number, kk: ValueKey): boolean {
  for (let j = i + 1; j < mops.length; j++) {
    const m = mops[j]!;
    if (m[0] === 'append' && valueKey(m[1]) === kk) return true;
  }
  return false;
}

/** The value of an ok read as recorded. */
export function readValue(txns: Txns, t: number, mop: number): Json[] {
  return txns.mops[t]![mop]![2] as Json[];
}
