/**
 * The list-append checker (after Elle's): transactions of appends
 * `["append", k, v]` (every v unique per key) and reads `["r", k, [v...]]`.
 * Because lists only grow at the end, the longest read of a key gives its
 * version order, and from that the ww, wr and rw dependencies between
 * transactions (versions.ts, edges.ts); cycles in that graph, and the
 * anomalies a single transaction or key shows on its own, rule consistency
 * models out (../txn/analyse.ts).
 *
 * Options: see TxnCheckOptions (consistency models, extra anomalies, cases
 * per type, the budget).
 */

import { show } from '../../harness/history/json.js';
import type { History, Json } from '../../harness/history/op.js';
import type { Checker } from '../checker.js';
import { analyse, startCheck } from '../txn/analyse.js';
import type { AnomalyCollector } from '../txn/collector.js';
import { keyName, showList } from '../txn/explain.js';
import { EdgeList } from '../txn/graph.js';
import { LostUpdateGroups, writeAfterRead } from '../txn/lost-update.js';
import type { TxnCheckOptions } from '../txn/plan.js';
import type { TxnResultFields } from '../txn/result.js';
import { type Mop, OK, readTxns, type TxnShape, type Txns, txnRef } from '../txn/txns.js';
import { type ValueKey, valueKey } from '../txn/values.js';
import { addKeyEdges, explainEdge, type KeyVersions } from './edges.js';
import { futureReadCase, internalCase } from './internal.js';
import { indexKey, KeyTable, readValue } from './keys.js';
import { inferVersionOrder } from './versions.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    'list-append': ListAppendResult;
  }
}

export interface ListAppendResult extends TxnResultFields {
  readonly kind: 'list-append';
}

export type ListAppendOptions = TxnCheckOptions;

const SHAPE: TxnShape = {
  checker: 'list-append',
  fs: ['append', 'r'],
  checkMop(mop, ok) {
    if (mop[0] === 'r' && ok && !Array.isArray(mop[2])) return 'an ok read must give the list it read';
    return undefined;
  },
};

export function listAppendChecker(options: ListAppendOptions = {}): Checker<ListAppendResult> {
  return {
    name: 'list-append',
    async check(history, checkOptions) {
      return checkListAppend(history, { ...options, ...checkOptions });
    },
  };
}

/**
 * Checks a list-append history. Returns the verdict (see ../txn/analyse.ts).
 * Throws UserError for bad options and MalformedHistoryError (with the op's
 * position) when an op is not such a transaction or an element is appended
 * to a key twice.
 */
export function checkListAppend(history: History, options: ListAppendOptions = {}): ListAppendResult {
  const { plan, collector, budget } = startCheck(options);
  const table = new KeyTable();
  const inside: TransactionAnomalies[] = [];
  // One pass over the micro-ops while they are read (see readTxns): keys, and what a transaction shows alone.
  const txns = readTxns(history, SHAPE, (t, status, mops) => {
    table.add(t, mops);
    if (status === OK && touchesAKeyTwice(mops)) {
      const found = transactionAnomalies(t, mops);
      if (found) inside.push(found);
    }
  });
  table.finish();
  for (const found of inside) addTransactionAnomalies(txns, found, collector);
  const edges = new EdgeList();
  let unwritten = 0;
  let stopped: string | undefined;
  // Key by key; each key's lists and index are dropped once its edges are in (see keys.ts).
  for (let id = 0; id < table.size; id++) {
    if (id % 1024 === 0 && (stopped = budget.exceeded()) !== undefined) break;
    const state = table.state(txns, id);
    const index = indexKey(txns, state);
    const inferred = inferVersionOrder(txns, state, index, collector);
    unwritten += inferred.unwritten;
    const kv = { state, index, versions: inferred.versions };
    addKeyEdges(txns, kv, edges);
    addKeyLostUpdates(txns, kv, collector);
  }
  const warnings =
    unwritten > 0
      ? [`${unwritten} element(s) were read that no transaction appended; they are treated as initial data.`]
      : [];
  const rebuilt = new Map<ValueKey, KeyVersions>();
  const byKey = {
    get(kk: ValueKey): KeyVersions | undefined {
      let kv = rebuilt.get(kk);
      const id = table.idOf(kk);
      if (!kv && id !== undefined) {
        const state = table.state(txns, id);
        const index = indexKey(txns, state);
        rebuilt.set(kk, (kv = { state, index, versions: inferVersionOrder(txns, state, index, undefined).versions }));
      }
      return kv;
    },
  };
  const verdict = analyse(
    { historyLength: history.length, txns, plan, collector, budget },
    {
      edges,
      explain: (kind, a, b, name) => explainEdge(txns, byKey, kind, a, b, name),
      keyCount: table.size,
      warnings,
      stopped,
    },
  );
  return { kind: 'list-append', ...verdict };
}

const LOST_UPDATE_SHAPE = {
  write: 'append',
  describeRead: (key: Json, read: Json) => `read ${keyName(key)} = ${showList(read as Json[])}`,
  describeWrite: (value: Json) => `appended ${show(value)}`,
};

/**
 * Lost updates on one key: transactions that read it first and then
 * appended to it, grouped by the version they read (the position of the
 * read's last element in the key's order; -1 for the empty list).
 */
function addKeyLostUpdates(txns: Txns, { state, versions }: KeyVersions, collector: AnomalyCollector): void {
  const groups = new LostUpdateGroups();
  for (let r = 0; r < state.readTxns.length; r++) {
    const t = state.readTxns[r]!;
    const i = state.readMops[r]!;
    const w = writeAfterRead(txns, t, i, 'append');
    if (w === -1) continue;
    const read = readValue(txns, t, i);
    const version = read.length === 0 ? -1 : (versions.position.get(valueKey(read[read.length - 1]!)) ?? -2);
    groups.add(version, t, i, w);
  }
  groups.report(txns, LOST_UPDATE_SHAPE, collector);
}

/** Whether two micro-ops share a key (else no internal or future read is possible). */
function touchesAKeyTwice(mops: Txns['mops'][number]): boolean {
  for (let i = 1; i < mops.length; i++) {
    const k = valueKey(mops[i]![1]);
    for (let j = 0; j < i; j++) if (valueKey(mops[j]![1]) === k) return true;
  }
  return false;
}

/** What one transaction shows on its own. */
interface TransactionAnomalies {
  t: number;
  internal: ReturnType<typeof internalCase>;
  future: ReturnType<typeof futureReadCase>;
}

function transactionAnomalies(t: number, mops: readonly Mop[]): TransactionAnomalies | undefined {
  const internal = internalCase(mops);
  const future = futureReadCase(mops);
  return internal || future ? { t, internal, future } : undefined;
}

/** internal and future-read cases of one transaction. */
function addTransactionAnomalies(
  txns: Txns,
  { t, internal, future }: TransactionAnomalies,
  collector: AnomalyCollector,
): void {
  const mops = txns.mops[t]!;
  if (internal) {
    collector.add('internal', () => {
      const [, k, read] = mops[internal.mop]!;
      const expected = internal.unknownPrefix
        ? `a list ending in ${showList(internal.expected)}`
        : showList(internal.expected);
      return {
        explanation:
          `T1 read ${keyName(k)} = ${showList(read as never[])}, but its own earlier reads and appends of ` +
          `${keyName(k)} say it should have read ${expected}.`,
        txns: [{ name: 'T1', ...txnRef(txns, t) }],
        key: k,
        details: {
          mop: internal.mop,
          expected: internal.unknownPrefix ? ['...', ...internal.expected] : internal.expected,
        },
      };
    });
  }
  if (future) {
    collector.add('future-read', () => {
      const [, k, read] = mops[future.readMop]!;
      return {
        explanation:
          `T1 read ${keyName(k)} = ${showList(read as never[])}, which includes ${show(future.element)} — an element ` +
          `T1 itself appends only later (micro-op ${future.appendMop}): it saw its own future.`,
        txns: [{ name: 'T1', ...txnRef(txns, t) }],
        key: k,
        details: { mop: future.readMop, element: future.element },
      };
    });
  }
}
