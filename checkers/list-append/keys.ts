/**
 * The keys of a list-append history. While the transactions are read,
 * every micro-op is noted as a record (key, transaction, position) in
 * typed arrays (KeyTable); the records are then grouped by key.
 *
 * A key's lists (its appends, by ok and info transactions and by failed
 * ones apart, and its ok reads) and what needs Maps (who appended each
 * element, the version order) are built key by key (`state`, `indexKey`)
 * and dropped once the key is done: with a million transactions, lists and
 * Maps kept for every key would make each garbage collection walk them
 * all. Explanations rebuild the few keys they need.
 */
import { MalformedHistoryError } from '../../harness/history/errors.js';
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { Int32Chunks } from '../txn/chunks.js';
import { keyName } from '../txn/explain.js';
import { FAIL, type Mop, OK, type Txns } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';

/** One key's appends and reads (built for the key while it is checked, then dropped). */
export interface KeyState {
  readonly key: Json;
  /** Appends of ok and info transactions, in history order: transaction and micro-op. */
  readonly appendTxns: number[];
  readonly appendMops: number[];
  /** Appends of failed transactions. */
  readonly failedTxns: number[];
  readonly failedMops: number[];
  /** Ok reads: transaction and micro-op. */
  readonly readTxns: number[];
  readonly readMops: number[];
  /** The longest ok read: index into readTxns, -1 when none read anything. */
  readonly longest: number;
}

/**
 * Every micro-op of the history as a record (key, transaction, position)
 * in typed arrays, a few bytes each, grouped by key once all are in.
 */
export class KeyTable {
  private readonly ids = new Map<ValueKey, number>();
  private readonly rawKeys: Json[] = [];
  private readonly recordKey = new Int32Chunks();
  private readonly recordTxn = new Int32Chunks();
  private readonly recordMop = new Int32Chunks();
  /** After `finish`: record numbers by key, and where each key's start. */
  private sorted = new Int32Array(0);
  private offsets = new Int32Array(1);

  /** Notes transaction t's micro-ops. */
  add(t: number, mops: readonly Mop[]): void {
    for (let i = 0; i < mops.length; i++) {
      const k = mops[i]![1];
      const kk = valueKey(k);
      let id = this.ids.get(kk);
      if (id === undefined) {
        this.ids.set(kk, (id = this.rawKeys.length));
        this.rawKeys.push(k);
      }
      this.recordKey.push(id);
      this.recordTxn.push(t);
      this.recordMop.push(i);
    }
  }

  /** Groups the records by key (a stable counting sort: history order within a key). */
  finish(): void {
    const keys = this.rawKeys.length;
    const n = this.recordKey.length;
    const offsets = new Int32Array(keys + 1);
    for (let r = 0; r < n; r++) offsets[this.recordKey.get(r) + 1]!++;
    for (let k = 0; k < keys; k++) offsets[k + 1]! += offsets[k]!;
    const fill = offsets.slice(0, keys);
    const sorted = new Int32Array(n);
    for (let r = 0; r < n; r++) sorted[fill[this.recordKey.get(r)]!++] = r;
    this.sorted = sorted;
    this.offsets = offsets;
  }

  get size(): number {
    return this.rawKeys.length;
  }

  /** The number of a key, or undefined when the history never touches it. */
  idOf(kk: ValueKey): number | undefined {
    return this.ids.get(kk);
  }

  /** Key `id`'s appends and reads (after `finish`). */
  state(txns: Txns, id: number): KeyState {
    const appendTxns: number[] = [];
    const appendMops: number[] = [];
    const failedTxns: number[] = [];
    const failedMops: number[] = [];
    const readTxns: number[] = [];
    const readMops: number[] = [];
    let longest = -1;
    let longestLength = 0;
    for (let i = this.offsets[id]!; i < this.offsets[id + 1]!; i++) {
      const r = this.sorted[i]!;
      const t = this.recordTxn.get(r);
      const m = this.recordMop.get(r);
      const mop = txns.mops[t]![m]!;
      const status = txns.status[t];
      if (mop[0] === 'append') {
        if (status === FAIL) {
          failedTxns.push(t);
          failedMops.push(m);
        } else {
          appendTxns.push(t);
          appendMops.push(m);
        }
      } else if (status === OK) {
        readTxns.push(t);
        readMops.push(m);
        const length = (mop[2] as Json[]).length;
        if (length > longestLength) {
          longestLength = length;
          longest = readTxns.length - 1;
        }
      }
    }
    const key = this.rawKeys[id]!;
    return { key, appendTxns, appendMops, failedTxns, failedMops, readTxns, readMops, longest };
  }
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
