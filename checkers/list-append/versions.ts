/**
 * Version orders of list-append keys, and the anomalies that show up while
 * inferring them.
 *
 * Appends only ever add to the end of a list, so every read of a key shows a
 * prefix of the key's history of appends, and the longest read shows the
 * most of it: its elements, in order, are the version order (each element
 * is a version, written by its appender). Every other read must be a prefix
 * of it; one that is not is an incompatible order. Appends that no read
 * shows came after everything that was read (unobserved).
 *
 * Found along the way: incompatible-order, duplicate-elements (a read shows
 * an element twice), G1a (a read shows an element a failed transaction
 * appended), G1b (a read ends in an element its appender followed with
 * another append to the key: an intermediate state), dirty-update (a
 * committed append follows a failed one in the version order).
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import type { AnomalyCollector } from '../txn/collector.js';
import { keyName, showList } from '../txn/explain.js';
import { FAIL, INFO, OK, type Txns, txnRef } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';
import { type KeyIndex, type KeyState, readValue } from './keys.js';

/** The inferred order of one key. */
export interface VersionOrder {
  /** The distinct elements of the longest read, in order. */
  order: Json[];
  /** Element → its position in `order`. */
  position: Map<ValueKey, number>;
  /** Ok and info appends that no read shows: their appenders and elements. */
  unobservedTxns: number[];
  unobservedElements: Json[];
}

const same = (a: Json, b: Json): boolean => a === b || (typeof a === 'object' && valueKey(a) === valueKey(b));

/**
 * Infers one key's version order from its index, adding the anomalies found
 * to `collector` (when given; explanations rebuild orders without one).
 * Returns the order and how many read elements nobody appended.
 */
export function inferVersionOrder(
  txns: Txns,
  state: KeyState,
  index: KeyIndex,
  collector: AnomalyCollector | undefined,
): { versions: VersionOrder; unwritten: number } {
  const longest =
    state.longest === -1 ? [] : readValue(txns, state.readTxns[state.longest]!, state.readMops[state.longest]!);
  const order: Json[] = [];
  const position = new Map<ValueKey, number>();
  let firstDuplicate = -1;
  for (let i = 0; i < longest.length; i++) {
    const e = valueKey(longest[i]!);
    if (position.has(e)) {
      if (firstDuplicate === -1) firstDuplicate = i;
      continue;
    }
    position.set(e, order.length);
    order.push(longest[i]!);
  }
  const failedPositions: number[] = [];
  let unwritten = 0;
  for (let p = 0; p < order.length; p++) {
    const e = valueKey(order[p]!);
    if (index.failedWriter.has(e)) failedPositions.push(p);
    else if (!index.writer.has(e)) unwritten++;
  }
  const unobservedTxns: number[] = [];
  const unobservedElements: Json[] = [];
  for (let i = 0; i < state.appendTxns.length; i++) {
    const element = txns.mops[state.appendTxns[i]!]![state.appendMops[i]!]![2];
    if (position.has(valueKey(element))) continue;
    unobservedTxns.push(state.appendTxns[i]!);
    unobservedElements.push(element);
  }
  const versions = { order, position, unobservedTxns, unobservedElements };
  if (!collector) return { versions, unwritten };

  let incompatibleReported = false;
  for (let r = 0; r < state.readTxns.length; r++) {
    const t = state.readTxns[r]!;
    const mop = state.readMops[r]!;
    const read = readValue(txns, t, mop);
    let prefix = read.length <= longest.length;
    for (let i = 0; prefix && i < read.length; i++) if (!same(read[i]!, longest[i]!)) prefix = false;
    if (prefix) {
      if (firstDuplicate !== -1 && read.length > firstDuplicate) addDuplicates(txns, t, mop, read, collector);
      for (const p of failedPositions) {
        if (p >= read.length) break;
        addAbortedRead(txns, state, index, t, mop, read, order[p]!, collector);
      }
    } else {
      if (!incompatibleReported) {
        incompatibleReported = true;
        addIncompatible(txns, state, t, mop, read, longest, collector);
      }
      if (new Set(read.map(valueKey)).size < read.length) addDuplicates(txns, t, mop, read, collector);
      for (const e of read) {
        if (index.failedWriter.has(valueKey(e))) addAbortedRead(txns, state, index, t, mop, read, e, collector);
        else if (!index.writer.has(valueKey(e)) && !position.has(valueKey(e))) unwritten++;
      }
    }
    if (read.length > 0) {
      const writer = index.intermediate.get(valueKey(read[read.length - 1]!));
      if (writer !== undefined && writer !== t) addIntermediateRead(txns, state, t, mop, read, writer, collector);
    }
  }
  addDirtyUpdates(txns, state, index, order, collector);
  return { versions, unwritten };
}

const readText = (key: Json, read: Json[]): string => `read ${keyName(key)} = ${showList(read)}`;

function addDuplicates(txns: Txns, t: number, mop: number, read: Json[], collector: AnomalyCollector): void {
  collector.add('duplicate-elements', () => {
    const counts = new Map<ValueKey, { element: Json; count: number }>();
    for (const e of read) {
      const c = counts.get(valueKey(e)) ?? { element: e, count: 0 };
      c.count++;
      counts.set(valueKey(e), c);
    }
    const dups = [...counts.values()].filter((c) => c.count > 1);
    const key = txns.mops[t]![mop]![1];
    return {
      explanation:
        `T1 ${readText(key, read)}, in which ${dups.map((d) => `${show(d.element)} appears ${d.count} times`).join(', ')}, ` +
        'though every element is appended once.',
      txns: [{ name: 'T1', ...txnRef(txns, t) }],
      key,
      details: { mop, duplicates: Object.fromEntries(dups.map((d) => [show(d.element), d.count])) },
    };
  });
}

function addAbortedRead(
  txns: Txns,
  state: KeyState,
  index: KeyIndex,
  t: number,
  mop: number,
  read: Json[],
  element: Json,
  collector: AnomalyCollector,
): void {
  collector.add('G1a', () => {
    const writer = index.failedWriter.get(valueKey(element))!;
    return {
      explanation:
        `T1 ${readText(state.key, read)}, which includes ${show(element)}, appended by T2 — ` +
        'and T2 failed: it did not commit, so nobody should have seen its append (an aborted read).',
      txns: [
        { name: 'T1', ...txnRef(txns, t) },
        { name: 'T2', ...txnRef(txns, writer) },
      ],
      key: state.key,
      details: { mop, element },
    };
  });
}

function addIntermediateRead(
  txns: Txns,
  state: KeyState,
  t: number,
  mop: number,
  read: Json[],
  writer: number,
  collector: AnomalyCollector,
): void {
  collector.add('G1b', () => {
    const element = read[read.length - 1]!;
    return {
      explanation:
        `T1 ${readText(state.key, read)}, ending in T2's append of ${show(element)}; but T2 appended to ` +
        `${keyName(state.key)} again after that, so T1 saw a state inside T2 that T2 never committed (an intermediate read).`,
      txns: [
        { name: 'T1', ...txnRef(txns, t) },
        { name: 'T2', ...txnRef(txns, writer) },
      ],
      key: state.key,
      details: { mop, element },
    };
  });
}

function addIncompatible(
  txns: Txns,
  state: KeyState,
  t: number,
  mop: number,
  read: Json[],
  longest: Json[],
  collector: AnomalyCollector,
): void {
  const lt = state.readTxns[state.longest]!;
  collector.add('incompatible-order', () => ({
    explanation:
      `T1 ${readText(state.key, read)} and T2 read it as ${showList(longest)}: neither is a prefix of the ` +
      'other, so no single order of appends explains both (one of them saw elements out of order or lost some).',
    txns: [
      { name: 'T1', ...txnRef(txns, t) },
      { name: 'T2', ...txnRef(txns, lt) },
    ],
    key: state.key,
    details: { values: [read, longest], mop },
  }));
}

/**
 * Walks the version order: once a failed append is in it, a later committed
 * append (through any info or failed ones between) is a dirty update; the
 * case covers the elements from the failed one to the committed one.
 */
function addDirtyUpdates(
  txns: Txns,
  state: KeyState,
  index: KeyIndex,
  order: Json[],
  collector: AnomalyCollector,
): void {
  let failedAt = -1;
  for (let p = 0; p < order.length; p++) {
    const e = valueKey(order[p]!);
    const failed = index.failedWriter.get(e);
    const writer = failed ?? index.writer.get(e);
    const status = writer === undefined ? INFO : txns.status[writer];
    if (status === FAIL) {
      if (failedAt === -1) failedAt = p;
    } else if (status === OK) {
      if (failedAt !== -1) {
        const from = failedAt;
        const to = p;
        collector.add('dirty-update', () => {
          const first = index.failedWriter.get(valueKey(order[from]!))!;
          const last = index.writer.get(valueKey(order[to]!))!;
          return {
            explanation:
              `In ${keyName(state.key)}'s version order ${showList(order.slice(from, to + 1))}, T1's append of ` +
              `${show(order[from]!)} failed, yet T2's append of ${show(order[to]!)}, which committed, came after it: ` +
              'a committed transaction wrote on top of an aborted one (a dirty update).',
            txns: [
              { name: 'T1', ...txnRef(txns, first) },
              { name: 'T2', ...txnRef(txns, last) },
            ],
            key: state.key,
            details: { values: order.slice(from, to + 1) },
          };
        });
      }
      failedAt = -1;
    }
  }
}
