/**
 * The keys of a list-append history. One pass over the transactions lists,
 * per key, its appends (by ok and info transactions, and by failed ones
 * apart) and its ok reads, as transaction and micro-op numbers, and notes
 * the longest read.
 *
 * What needs Maps (who appended each element, the version order) is built
 * key by key from those lists (`indexKey`) and dropped after the key is
 * done: with a million transactions, long-lived Maps for every key would
 * make each garbage collection walk them all. Explanations rebuild the
 * index of the few keys they need.
 */
import { MalformedHistoryError } from '../../harness/history/errors.js';
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { keyName } from '../txn/explain.js';
import { FAIL, OK, type Txns } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';

export class KeyState {
  /** Appends of ok and info transactions, in history order: transaction and micro-op. */
  readonly appendTxns: number[] = [];
  readonly appendMops: number[] = [];
  /** Appends of failed transactions. */
  readonly failedTxns: number[] = [];
  readonly failedMops: number[] = [];
  /** Ok reads: transaction and micro-op. */
  readonly readTxns: number[] = [];
  readonly readMops: number[] = [];
  /** The longest ok read: index into readTxns, -1 when none read anything. */
  longest = -1;
  longestLength = 0;

  constructor(readonly key: Json) {}
}

/** Gathers the keys (see the module comment), in the order they first appear. */
export function gatherKeys(txns: Txns): Map<ValueKey, KeyState> {
  const keys = new Map<ValueKey, KeyState>();
  for (let t = 0; t < txns.count; t++) {
    const mops = txns.mops[t]!;
    const status = txns.status[t]!;
    for (let i = 0; i < mops.length; i++) {
      const mop = mops[i]!;
      const kk = valueKey(mop[1]);
      let state = keys.get(kk);
      if (!state) keys.set(kk, (state = new KeyState(mop[1])));
      if (mop[0] === 'append') {
        if (status === FAIL) {
          state.failedTxns.push(t);
          state.failedMops.push(i);
        } else {
          state.appendTxns.push(t);
          state.appendMops.push(i);
        }
      } else if (status === OK) {
        state.readTxns.push(t);
        state.readMops.push(i);
        const length = (mop[2] as Json[]).length;
        if (length > state.longestLength) {
          state.longestLength = length;
          state.longest = state.readTxns.length - 1;
        }
      }
    }
  }
  return keys;
}

/** The value of an ok read as recorded. */
export function readValue(txns: Txns, t: number, mop: number): Json[] {
  return txns.mops[t]![mop]![2] as Json[];
}

/** Who appended what to one key. */
export interface KeyIndex {
  /** Element → the ok or info transaction that appended it. */
  writer: Map<ValueKey, number>;
  /** Element → the failed transaction that appended it. */
  failedWriter: Map<ValueKey, number>;
  /** Element → its appender, when that transaction appended to this key again afterwards. */
  intermediate: Map<ValueKey, number>;
}

/**
 * Indexes one key's appends. Throws MalformedHistoryError when an element
 * is appended to the key more than once (list-append needs unique appends
 * to infer version orders).
 */
export function indexKey(txns: Txns, state: KeyState): KeyIndex {
  const writer = new Map<ValueKey, number>();
  const failedWriter = new Map<ValueKey, number>();
  const intermediate = new Map<ValueKey, number>();
  const note = (into: Map<ValueKey, number>, ts: number[], ms: number[]): void => {
    for (let i = 0; i < ts.length; i++) {
      const t = ts[i]!;
      const element = txns.mops[t]![ms[i]!]![2];
      const e = valueKey(element);
      const earlier = writer.get(e) ?? failedWriter.get(e);
      if (earlier !== undefined) {
        const [first, again] = txns.invokeIndex[earlier]! < txns.invokeIndex[t]! ? [earlier, t] : [t, earlier];
        throw new MalformedHistoryError(
          `${show(element)} is appended to ${keyName(state.key)} again (first by the transaction invoked at op ` +
            `${txns.invokeIndex[first]}); list-append needs every appended element to be unique per key`,
          txns.invokeIndex[again]!,
        );
      }
      into.set(e, t);
      // A transaction's appends to a key are listed together, in order: all but its last are intermediate.
      if (ts[i + 1] === t) intermediate.set(e, t);
    }
  };
  note(writer, state.appendTxns, state.appendMops);
  note(failedWriter, state.failedTxns, state.failedMops);
  return { writer, failedWriter, intermediate };
}
