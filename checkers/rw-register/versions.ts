/**
 * Version orders of registers. A write replaces the value, so reads alone
 * show little of the order; what can be inferred (Elle's options):
 *
 * - initial (always): nil, the initial state, precedes every other version.
 * - wfr-keys: writes follow reads within a transaction: a transaction that
 *   read v and wrote v' of a key puts v before v'.
 * - sequential-keys: each key is sequentially consistent, so each process
 *   sees its versions in order: the final version of a key in one of its
 *   transactions precedes the first version in its next one on that key.
 * - linearizable-keys: the same along real time (a transaction that
 *   completed before another was invoked, among those on the key).
 * - transaction-order: the same along an order of transactions the user
 *   knows (e.g. commit timestamps).
 *
 * Sources are added in that order; one that would make a key's versions
 * cyclic is left out for that key, and the cycle is reported as
 * cyclic-versions.
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import type { AnomalyCollector } from '../txn/collector.js';
import { keyName, list } from '../txn/explain.js';
import { intervalOrder } from '../txn/orders.js';
import { stronglyConnected } from '../txn/scc.js';
import { FAIL, INFO, OK, type Txns } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';
import type { Ext } from './ext.js';
import type { RegisterKey } from './keys.js';

export type VersionSource = 'initial' | 'wfr-keys' | 'sequential-keys' | 'linearizable-keys' | 'transaction-order';

/** Why one version precedes another: the source, and the transactions that show it (none for initial). */
export interface VersionReason {
  source: VersionSource;
  /** wfr: the transaction that read one and wrote the other; orders: the two transactions. */
  txns: number[];
}

export interface VersionOptions {
  wfrKeys?: boolean | undefined;
  sequentialKeys?: boolean | undefined;
  linearizableKeys?: boolean | undefined;
  /** History position of a transaction's invocation or completion → its place in a known order. */
  transactionOrder?: ReadonlyMap<number, number> | undefined;
}

/** A key's version graph: from → to → why. */
export type VersionGraph = Map<ValueKey, Map<ValueKey, VersionReason>>;

interface Candidate {
  from: ValueKey;
  to: ValueKey;
  reason: VersionReason;
}

/** Builds every key's version graph (see the module comment), reporting cyclic-versions to `collector`. */
export function versionGraphs(
  txns: Txns,
  exts: readonly Ext[][],
  keys: ReadonlyMap<ValueKey, RegisterKey>,
  options: VersionOptions,
  collector: AnomalyCollector,
): Map<ValueKey, VersionGraph> {
  const graphs = new Map<ValueKey, VersionGraph>();
  for (const [kk, state] of keys) {
    const g: VersionGraph = new Map();
    for (const v of state.values.keys()) link(g, { from: null, to: v, reason: { source: 'initial', txns: [] } });
    graphs.set(kk, g);
  }
  const sources: [VersionSource, Map<ValueKey, Candidate[]>][] = [];
  if (options.wfrKeys) sources.push(['wfr-keys', wfrCandidates(txns, exts)]);
  if (options.sequentialKeys) sources.push(['sequential-keys', chainCandidates(txns, exts, 'sequential-keys')]);
  if (options.linearizableKeys) sources.push(['linearizable-keys', chainCandidates(txns, exts, 'linearizable-keys')]);
  if (options.transactionOrder) {
    sources.push(['transaction-order', chainCandidates(txns, exts, 'transaction-order', options.transactionOrder)]);
  }
  const used = new Map<ValueKey, VersionSource[]>();
  for (const [source, byKey] of sources) {
    for (const [kk, candidates] of byKey) {
      const g = graphs.get(kk)!;
      const trial: VersionGraph = new Map([...g].map(([from, tos]) => [from, new Map(tos)]));
      for (const c of candidates) link(trial, c);
      const cycle = cyclicValues(trial);
      const sourcesSoFar = [...(used.get(kk) ?? ['initial']), source];
      if (cycle) {
        const state = keys.get(kk)!;
        collector.add('cyclic-versions', () => ({
          explanation:
            `Taken together, ${list(sourcesSoFar)} order ${keyName(state.key)}'s versions ` +
            `${list(cycle.map((v) => show(recorded(state, v))))} in a cycle, which no version order allows; ` +
            `${source} is left out for this key.`,
          txns: [],
          key: state.key,
          details: { values: cycle.map((v) => recorded(state, v)), sources: sourcesSoFar },
        }));
        continue;
      }
      graphs.set(kk, trial);
      used.set(kk, sourcesSoFar);
    }
  }
  return graphs;
}

const recorded = (state: RegisterKey, v: ValueKey): Json => (v === null ? null : (state.values.get(v) ?? v));

function link(g: VersionGraph, c: Candidate): void {
  if (c.from === c.to) return;
  let tos = g.get(c.from);
  if (!tos) g.set(c.from, (tos = new Map()));
  if (!tos.has(c.to)) tos.set(c.to, c.reason);
}

/** The values of a cycle in a version graph, or undefined. */
function cyclicValues(g: VersionGraph): ValueKey[] | undefined {
  const ids = new Map<ValueKey, number>();
  const names: ValueKey[] = [];
  const id = (v: ValueKey): number => {
    let i = ids.get(v);
    if (i === undefined) {
      ids.set(v, (i = names.length));
      names.push(v);
    }
    return i;
  };
  const pairs: [number, number][] = [];
  for (const [from, tos] of g) for (const to of tos.keys()) pairs.push([id(from), id(to)]);
  const n = names.length;
  const offsets = new Int32Array(n + 1);
  for (const [a] of pairs) offsets[a + 1]!++;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(pairs.length);
  for (const [a, b] of pairs) targets[fill[a]!++] = b;
  const graph = { nodeCount: n, offsets, targets, kinds: new Uint8Array(pairs.length), kindCounts: [] };
  const component = stronglyConnected(graph, 1)[0];
  return component?.map((i) => names[i]!);
}

/** wfr-keys: in an ok transaction, an external read v (not nil) of a key precedes its external write. */
function wfrCandidates(txns: Txns, exts: readonly Ext[][]): Map<ValueKey, Candidate[]> {
  const byKey = new Map<ValueKey, Candidate[]>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] !== OK) continue;
    for (const e of exts[t]!) {
      if (e.read === undefined || e.read === null || e.write === undefined) continue;
      push(byKey, e.kk, { from: valueKey(e.read), to: valueKey(e.write), reason: { source: 'wfr-keys', txns: [t] } });
    }
  }
  return byKey;
}

/** A transaction's first and final versions of a key: undefined when it did not visibly touch the key. */
function firstAndFinal(txns: Txns, t: number, e: Ext): { first: Json; final: Json } | undefined {
  if (txns.status[t] === OK) {
    const first = e.read !== undefined ? e.read : e.write;
    const final = e.write !== undefined ? e.write : e.read;
    return first === undefined ? undefined : { first, final: final as Json };
  }
  if (txns.status[t] === INFO && e.write !== undefined) return { first: e.write, final: e.write };
  return undefined;
}

/**
 * Candidates from an order of transactions, key by key, among the
 * transactions that touched the key: process order (sequential-keys), the
 * Hasse diagram of real time (linearizable-keys) or a given order
 * (transaction-order). Each ordered pair a, b links a's final version to
 * b's first.
 */
function chainCandidates(
  txns: Txns,
  exts: readonly Ext[][],
  source: VersionSource,
  order?: ReadonlyMap<number, number>,
): Map<ValueKey, Candidate[]> {
  const members = new Map<ValueKey, number[]>();
  const extOf = new Map<string, Ext>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    for (const e of exts[t]!) {
      if (!firstAndFinal(txns, t, e)) continue;
      const list = members.get(e.kk) ?? [];
      list.push(t);
      members.set(e.kk, list);
      extOf.set(`${t}\u0000${String(e.kk)}\u0000${typeof e.kk}`, e);
    }
  }
  const ext = (t: number, kk: ValueKey): Ext => extOf.get(`${t}\u0000${String(kk)}\u0000${typeof kk}`)!;
  const byKey = new Map<ValueKey, Candidate[]>();
  const pair = (kk: ValueKey, a: number, b: number): void => {
    const from = firstAndFinal(txns, a, ext(a, kk))!.final;
    const to = firstAndFinal(txns, b, ext(b, kk))!.first;
    push(byKey, kk, { from: valueKey(from), to: valueKey(to), reason: { source, txns: [a, b] } });
  };
  for (const [kk, ts] of members) {
    if (source === 'sequential-keys') {
      const last = new Map<unknown, number>();
      for (const t of ts) {
        const before = last.get(txns.process[t]);
        if (before !== undefined && txns.status[before] !== INFO) pair(kk, before, t);
        last.set(txns.process[t], t);
      }
    } else if (source === 'linearizable-keys') {
      intervalOrder(txns, ts, (a, b) => pair(kk, a, b));
    } else {
      const ranked = ts
        .map((t) => ({ t, rank: rankOf(txns, t, order!) }))
        .filter((x): x is { t: number; rank: number } => x.rank !== undefined)
        .sort((x, y) => x.rank - y.rank);
      for (let i = 1; i < ranked.length; i++) pair(kk, ranked[i - 1]!.t, ranked[i]!.t);
    }
  }
  return byKey;
}

function rankOf(txns: Txns, t: number, order: ReadonlyMap<number, number>): number | undefined {
  return order.get(txns.completeIndex[t]!) ?? order.get(txns.invokeIndex[t]!);
}

function push(byKey: Map<ValueKey, Candidate[]>, kk: ValueKey, c: Candidate): void {
  const list = byKey.get(kk);
  if (list) list.push(c);
  else byKey.set(kk, [c]);
}

/** Why `from` precedes `to`, in words (for explanations). */
export function versionReasonText(txns: Txns, reason: VersionReason, from: Json, to: Json): string {
  const at = (t: number): string => `the transaction invoked at op ${txns.invokeIndex[t]}`;
  switch (reason.source) {
    case 'initial':
      return `${show(from)} is the initial state, before every written version`;
    case 'wfr-keys':
      return `${at(reason.txns[0]!)} read ${show(from)} and then wrote ${show(to)} (writes follow reads)`;
    case 'sequential-keys':
      return (
        `process ${String(txns.process[reason.txns[0]!])} saw ${show(from)} and then, in its next transaction ` +
        `on the key, ${show(to)} (keys are sequential)`
      );
    case 'linearizable-keys':
      return (
        `${at(reason.txns[0]!)} saw ${show(from)} and completed before ${at(reason.txns[1]!)}, which saw ` +
        `${show(to)}, was invoked (keys are linearizable)`
      );
    case 'transaction-order':
      return `the given transaction order puts ${at(reason.txns[0]!)} (${show(from)}) before ${at(reason.txns[1]!)} (${show(to)})`;
  }
}
