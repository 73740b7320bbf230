/**
 * The data edges of a list-append history, from each key's version order
 * (versions.ts), and their explanations. For a key with order e0, e1, ...:
 *
 * - ww: the appender of e(i-1) → the appender of e(i); and the appender of
 *   the last element read → the appender of each unobserved element.
 * - wr: the appender of a read's last element → the reader.
 * - rw: the reader → the appender of the element right after its last one
 *   (of e0 after an empty read); a read of the whole order → the appender of
 *   each unobserved element.
 *
 * Only ok and info transactions take part (a failed append is no version).
 * `explainEdge` answers with the same rules, so every edge it is asked about
 * has a reason naming the key, the elements and the micro-ops.
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { type EdgeReason, keyName, showTail } from '../txn/explain.js';
import type { EdgeList } from '../txn/graph.js';
import { RW, WR, WW } from '../txn/kinds.js';
import type { Txns } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';
import { type KeyIndex, type KeyState, readValue } from './keys.js';
import type { VersionOrder } from './versions.js';

/** One key's appends and version order. */
export interface KeyVersions {
  state: KeyState;
  index: KeyIndex;
  versions: VersionOrder;
}

/** Adds one key's edges. */
export function addKeyEdges(txns: Txns, { state, index, versions }: KeyVersions, edges: EdgeList): void {
  const { order, position, unobservedTxns } = versions;
  const writerAt = (p: number): number | undefined => index.writer.get(valueKey(order[p]!));
  let previous = order.length > 0 ? writerAt(0) : undefined;
  for (let p = 1; p < order.length; p++) {
    const w = writerAt(p);
    if (previous !== undefined && w !== undefined) edges.add(previous, w, WW);
    previous = w;
  }
  const last = order.length > 0 ? writerAt(order.length - 1) : undefined;
  if (last !== undefined) for (const u of unobservedTxns) edges.add(last, u, WW);
  for (let r = 0; r < state.readTxns.length; r++) {
    const t = state.readTxns[r]!;
    const read = readValue(txns, t, state.readMops[r]!);
    let p = -1;
    if (read.length > 0) {
      const e = valueKey(read[read.length - 1]!);
      const w = index.writer.get(e);
      if (w !== undefined) edges.add(w, t, WR);
      p = position.get(e) ?? -2;
    }
    if (p === -2) continue; // its last element is not in the order: nothing follows it that we know of
    if (p + 1 < order.length) {
      const w = writerAt(p + 1);
      if (w !== undefined) edges.add(t, w, RW);
    } else for (const u of unobservedTxns) edges.add(t, u, RW);
  }
}

/**
 * Explains a ww, wr or rw edge a → b by the rules above; undefined when no
 * key justifies it. `byKey` gives a key's versions (rebuilt on demand).
 */
export function explainEdge(
  txns: Txns,
  byKey: { get(key: ValueKey): KeyVersions | undefined },
  kind: number,
  a: number,
  b: number,
  name: (t: number) => string,
): EdgeReason | undefined {
  const A = name(a);
  const B = name(b);
  if (kind === WR) {
    return eachMop(txns, b, 'r', (mop, k, read: Json[]) => {
      const kv = byKey.get(valueKey(k));
      if (!kv || !Array.isArray(read) || read.length === 0) return undefined;
      const last = read[read.length - 1]!;
      if (kv.index.writer.get(valueKey(last)) !== a) return undefined;
      return {
        key: k,
        fromMop: appendMop(txns, a, k, last),
        toMop: mop,
        text: `${B} read ${keyName(k)} = ${showTail(read)}, ending in ${show(last)}, which ${A} appended`,
      };
    });
  }
  if (kind === WW) {
    return eachMop(txns, b, 'append', (mop, k, element: Json) => {
      const kv = byKey.get(valueKey(k));
      if (!kv) return undefined;
      const { order, position } = kv.versions;
      const p = position.get(valueKey(element));
      const before = p === undefined ? order.length - 1 : p - 1;
      if (before < 0 || kv.index.writer.get(valueKey(order[before]!)) !== a) return undefined;
      const prev = order[before]!;
      const text =
        p === undefined
          ? `no read ever saw ${B}'s append of ${show(element)} to ${keyName(k)}, so it came after every element ` +
            `that was read, the last of which, ${show(prev)}, ${A} appended (${keyName(k)} was read as ` +
            `${showTail(order)})`
          : `${B} appended ${show(element)} to ${keyName(k)} right after ${A} appended ${show(prev)} ` +
            `(${keyName(k)} was read as ${showTail(order.slice(0, p + 1))})`;
      return { key: k, fromMop: appendMop(txns, a, k, prev), toMop: mop, text };
    });
  }
  if (kind === RW) {
    return eachMop(txns, a, 'r', (mop, k, read: Json[]) => {
      const kv = byKey.get(valueKey(k));
      if (!kv || !Array.isArray(read)) return undefined;
      const { order, position } = kv.versions;
      const p = read.length === 0 ? -1 : position.get(valueKey(read[read.length - 1]!));
      if (p === undefined) return undefined;
      const seen = `${A} read ${keyName(k)} = ${showTail(read)}`;
      if (p + 1 < order.length) {
        const next = order[p + 1]!;
        if (kv.index.writer.get(valueKey(next)) !== b) return undefined;
        const text =
          p === -1
            ? `${seen} (empty), without ${show(next)}, which ${B} appended as its first element`
            : `${seen} without ${show(next)}, which ${B} appended right after ${show(order[p]!)} ` +
              `(${keyName(k)} was read as ${showTail(order.slice(0, p + 2))})`;
        return { key: k, fromMop: mop, toMop: appendMop(txns, b, k, next), text };
      }
      const u = kv.versions.unobservedTxns.indexOf(b);
      if (u === -1) return undefined;
      const element = kv.versions.unobservedElements[u]!;
      const text =
        p === -1
          ? `${seen} (empty), without ${B}'s append of ${show(element)}, which no read ever saw, so it came later`
          : `${seen}, as much of ${keyName(k)} as any read saw, without ${B}'s append of ${show(element)}, ` +
            'which no read ever saw, so it came later';
      return { key: k, fromMop: mop, toMop: appendMop(txns, b, k, element), text };
    });
  }
  return undefined;
}

/** The first non-undefined answer of `visit` over t's micro-ops of f. */
function eachMop<V>(
  txns: Txns,
  t: number,
  f: string,
  visit: (mop: number, key: Json, value: V) => EdgeReason | undefined,
): EdgeReason | undefined {
  const mops = txns.mops[t]!;
  for (let i = 0; i < mops.length; i++) {
    const [mf, k, v] = mops[i]!;
    if (mf !== f) continue;
    const reason = visit(i, k, v as V);
    if (reason) return reason;
  }
  return undefined;
}

/** The position of t's append of `element` to `key`. */
function appendMop(txns: Txns, t: number, key: Json, element: Json): number {
  const kk = valueKey(key);
  const e = valueKey(element);
  return txns.mops[t]!.findIndex((m) => m[0] === 'append' && valueKey(m[1]) === kk && valueKey(m[2]) === e);
}
