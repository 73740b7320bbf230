/**
 * The data edges of a register history and their explanations:
 *
 * - wr: the writer of a value → each ok transaction whose external read saw it;
 * - ww: for each version edge v → v' of a key, the writer of v → the writer of v';
 * - rw: for each version edge v → v', each external reader of v (nil
 *   included) → the writer of v'.
 *
 * Writers are the external writes of ok and info transactions (an info
 * transaction's write, if anyone saw it, committed).
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { type EdgeReason, keyName } from '../txn/explain.js';
import type { EdgeList } from '../txn/graph.js';
import { RW, WR, WW } from '../txn/kinds.js';
import type { Txns } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';
import type { Ext } from './ext.js';
import type { RegisterKey } from './keys.js';
import { type VersionGraph, versionReasonText } from './versions.js';

export function addEdges(
  keys: ReadonlyMap<ValueKey, RegisterKey>,
  graphs: ReadonlyMap<ValueKey, VersionGraph>,
  edges: EdgeList,
): void {
  for (const [kk, state] of keys) {
    for (const [v, readers] of state.readers) {
      const w = v === null ? undefined : state.writer.get(v);
      if (w !== undefined) for (const r of readers) edges.add(w, r, WR);
    }
    for (const [from, tos] of graphs.get(kk) ?? []) {
      const fromWriter = from === null ? undefined : state.writer.get(from);
      const readers = state.readers.get(from) ?? [];
      for (const to of tos.keys()) {
        const toWriter = to === null ? undefined : state.writer.get(to);
        if (toWriter === undefined) continue;
        if (fromWriter !== undefined) edges.add(fromWriter, toWriter, WW);
        for (const r of readers) edges.add(r, toWriter, RW);
      }
    }
  }
}

/** Explains a ww, wr or rw edge a → b; undefined when no key justifies it. */
export function explainEdge(
  txns: Txns,
  exts: readonly Ext[][],
  keys: ReadonlyMap<ValueKey, RegisterKey>,
  graphs: ReadonlyMap<ValueKey, VersionGraph>,
  kind: number,
  a: number,
  b: number,
  name: (t: number) => string,
): EdgeReason | undefined {
  const A = name(a);
  const B = name(b);
  for (const eb of exts[b]!) {
    const state = keys.get(eb.kk)!;
    if (kind === WR) {
      if (eb.read === undefined || eb.read === null || state.writer.get(valueKey(eb.read)) !== a) continue;
      if (!(state.readers.get(valueKey(eb.read)) ?? []).includes(b)) continue;
      return {
        key: eb.key,
        fromMop: state.writeMop.get(valueKey(eb.read))!,
        toMop: eb.readMop,
        text: `${B} read ${keyName(eb.key)} = ${show(eb.read)}, which ${A} wrote`,
      };
    }
    if (eb.write === undefined || state.writer.get(valueKey(eb.write)) !== b) continue;
    const ea = exts[a]!.find((e) => e.kk === eb.kk);
    if (!ea) continue;
    const from: Json | undefined = kind === WW ? ea.write : ea.read;
    if (from === undefined) continue;
    if (kind === WW && state.writer.get(valueKey(from)) !== a) continue;
    if (kind === RW && !(state.readers.get(valueKey(from)) ?? []).includes(a)) continue;
    const reason = graphs.get(eb.kk)?.get(valueKey(from))?.get(valueKey(eb.write));
    if (!reason) continue;
    const because = reason.source === 'initial' ? '' : ` (${versionReasonText(txns, reason, from, eb.write)})`;
    const text =
      kind === WW
        ? `${A} wrote ${keyName(eb.key)} = ${show(from)} and ${B} wrote ${show(eb.write)}, a later version${because}`
        : `${A} read ${keyName(eb.key)} = ${show(from)}${from === null ? ' (the initial state)' : ''}, and ${B} ` +
          `wrote ${keyName(eb.key)} = ${show(eb.write)}, a later version${because}`;
    return { key: eb.key, fromMop: kind === WW ? ea.writeMop : ea.readMop, toMop: eb.writeMop, text };
  }
  return undefined;
}
