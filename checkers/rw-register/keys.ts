/**
 * Per-key indices of a register history: who wrote each value (every value
 * is written at most once per key; null is the initial state, never
 * written), who read it externally, which writes failed and which were
 * intermediate (overwritten by the same transaction). From the reads:
 * G1a (a read of a failed write), G1b (a read of an intermediate write) and
 * values nobody wrote.
 */
import { MalformedHistoryError } from '../../harness/history/errors.js';
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import type { AnomalyCollector } from '../txn/collector.js';
import { keyName } from '../txn/explain.js';
import { FAIL, OK, type Txns, txnRef } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';
import type { Ext } from './ext.js';

export class RegisterKey {
  /** Value → the ok or info transaction whose external write it is. */
  readonly writer = new Map<ValueKey, number>();
  /** Value → its external writer's micro-op. */
  readonly writeMop = new Map<ValueKey, number>();
  readonly failedWriter = new Map<ValueKey, number>();
  /** Value → the transaction that wrote it and then wrote the key again. */
  readonly intermediate = new Map<ValueKey, number>();
  /** Value (null: the initial state) → ok transactions whose external read saw it. */
  readonly readers = new Map<ValueKey, number[]>();
  /** Every version of the key an ok or info transaction wrote or an ok one read externally, as recorded. */
  readonly values = new Map<ValueKey, Json>();

  constructor(readonly key: Json) {}
}

/**
 * Indexes the keys and reports G1a and G1b. `exts[t]` are transaction t's
 * externals. Returns the keys and how many reads saw a value nobody wrote.
 * Throws MalformedHistoryError when a value is written to a key twice or a
 * write writes null.
 */
export function indexKeys(
  txns: Txns,
  exts: readonly Ext[][],
  collector: AnomalyCollector,
): { keys: Map<ValueKey, RegisterKey>; unwritten: number } {
  const keys = new Map<ValueKey, RegisterKey>();
  const keyOf = (k: Json, kk: ValueKey): RegisterKey => {
    let state = keys.get(kk);
    if (!state) keys.set(kk, (state = new RegisterKey(k)));
    return state;
  };
  const anyWriter = new Map<RegisterKey, Map<ValueKey, number>>();
  for (let t = 0; t < txns.count; t++) {
    const mops = txns.mops[t]!;
    for (let i = 0; i < mops.length; i++) {
      const [f, k, v] = mops[i]!;
      if (f !== 'w') continue;
      const state = keyOf(k, valueKey(k));
      let writers = anyWriter.get(state);
      if (!writers) anyWriter.set(state, (writers = new Map()));
      const earlier = writers.get(valueKey(v));
      if (earlier !== undefined && earlier !== t) {
        throw new MalformedHistoryError(
          `${show(v)} is written to ${keyName(k)} again (first by the transaction invoked at op ` +
            `${txns.invokeIndex[earlier]}); rw-register needs every written value to be unique per key`,
          txns.invokeIndex[t]!,
        );
      }
      writers.set(valueKey(v), t);
    }
    const status = txns.status[t]!;
    for (const ext of exts[t]!) {
      const state = keyOf(ext.key, ext.kk);
      if (status === FAIL) {
        for (const m of mops) if (m[0] === 'w' && valueKey(m[1]) === ext.kk) state.failedWriter.set(valueKey(m[2]), t);
        continue;
      }
      for (const v of ext.intermediate) state.intermediate.set(valueKey(v), t);
      if (ext.write !== undefined) {
        state.writer.set(valueKey(ext.write), t);
        state.writeMop.set(valueKey(ext.write), ext.writeMop);
        state.values.set(valueKey(ext.write), ext.write);
      }
      if (status === OK && ext.read !== undefined) {
        const list = state.readers.get(valueKey(ext.read)) ?? [];
        list.push(t);
        state.readers.set(valueKey(ext.read), list);
        if (ext.read !== null) state.values.set(valueKey(ext.read), ext.read);
      }
    }
  }
  let unwritten = 0;
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] !== OK) continue;
    const mops = txns.mops[t]!;
    for (let i = 0; i < mops.length; i++) {
      const [f, k, v] = mops[i]!;
      if (f !== 'r' || v === null) continue;
      const state = keys.get(valueKey(k))!;
      const vk = valueKey(v);
      const failed = state.failedWriter.get(vk);
      const intermediate = state.intermediate.get(vk);
      if (failed !== undefined) addRead(collector, 'G1a', txns, t, i, failed, state.key, v);
      else if (intermediate !== undefined && intermediate !== t) {
        addRead(collector, 'G1b', txns, t, i, intermediate, state.key, v);
      } else if (!state.writer.has(vk) && anyWriter.get(state)?.get(vk) !== t) unwritten++;
    }
  }
  return { keys, unwritten };
}

function addRead(
  collector: AnomalyCollector,
  type: 'G1a' | 'G1b',
  txns: Txns,
  t: number,
  mop: number,
  writer: number,
  key: Json,
  value: Json,
): void {
  collector.add(type, () => ({
    explanation:
      type === 'G1a'
        ? `T1 read ${keyName(key)} = ${show(value)}, which T2 wrote — and T2 failed: it did not commit, ` +
          'so nobody should have seen its write (an aborted read).'
        : `T1 read ${keyName(key)} = ${show(value)}, which T2 wrote and then overwrote itself: T1 saw a state ` +
          'inside T2 that T2 never committed (an intermediate read).',
    txns: [
      { name: 'T1', ...txnRef(txns, t) },
      { name: 'T2', ...txnRef(txns, writer) },
    ],
    key,
    details: { mop, value },
  }));
}
