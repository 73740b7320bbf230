/**
 * The rw-register checker (after Elle's): transactions of writes
 * `["w", k, v]` (every v unique per key, never null) and reads
 * `["r", k, v]` (null: the initial state). Reads say which write they saw
 * (wr); the version order of a key is only partly known (versions.ts, with
 * Elle's options to infer more), and gives ww and rw edges where it is.
 * Cycles, and the anomalies single transactions and keys show, rule
 * consistency models out (../txn/analyse.ts).
 */
import { UserError } from '../../harness/history/errors.js';
import { show } from '../../harness/history/json.js';
import type { History, Json } from '../../harness/history/op.js';
import type { Checker } from '../checker.js';
import { analyse, startCheck } from '../txn/analyse.js';
import type { AnomalyCollector } from '../txn/collector.js';
import { keyName } from '../txn/explain.js';
import { EdgeList } from '../txn/graph.js';
import { addLostUpdates } from '../txn/lost-update.js';
import type { TxnCheckOptions } from '../txn/plan.js';
import type { TxnResultFields } from '../txn/result.js';
import { OK, readTxns, type TxnShape, type Txns, txnRef } from '../txn/txns.js';
import { addEdges, explainEdge } from './edges.js';
import { externals, internalCase } from './ext.js';
import { indexKeys } from './keys.js';
import { versionGraphs } from './versions.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    'rw-register': RwRegisterResult;
  }
}

export interface RwRegisterResult extends TxnResultFields {
  readonly kind: 'rw-register';
}

export interface RwRegisterOptions extends TxnCheckOptions {
  /** Assume each key is linearizable: real time orders its versions. */
  linearizableKeys?: boolean | undefined;
  /** Assume each key is sequentially consistent: process order orders its versions. */
  sequentialKeys?: boolean | undefined;
  /** Assume writes follow reads within a transaction. */
  wfrKeys?: boolean | undefined;
  /**
   * A known order of transactions (e.g. by commit timestamp): the history
   * position of a transaction's completion (or invocation) → its rank.
   */
  transactionOrder?: Readonly<Record<string, number>> | undefined;
}

const SHAPE: TxnShape = {
  checker: 'rw-register',
  fs: ['w', 'r'],
  checkMop(mop) {
    if (mop[0] === 'w' && mop[2] === null) return 'a write of null (null is the initial state; write unique values)';
    return undefined;
  },
};

export function rwRegisterChecker(options: RwRegisterOptions = {}): Checker<RwRegisterResult> {
  return {
    name: 'rw-register',
    async check(history, checkOptions) {
      return checkRwRegister(history, { ...options, ...checkOptions });
    },
  };
}

/**
 * Checks an rw-register history. Returns the verdict (see ../txn/analyse.ts).
 * Throws UserError for bad options and MalformedHistoryError (with the op's
 * position) when an op is not such a transaction or a value is written to a
 * key twice.
 */
export function checkRwRegister(history: History, options: RwRegisterOptions = {}): RwRegisterResult {
  const transactionOrder = parseTransactionOrder(options.transactionOrder);
  const { plan, collector, budget } = startCheck(options);
  const exts: ReturnType<typeof externals>[] = [];
  const txns = readTxns(history, SHAPE, (t, _status, mops) => {
    exts[t] = externals(mops);
  });
  addInternal(txns, collector);
  const { keys, unwritten } = indexKeys(txns, exts, collector);
  addLostUpdates(
    txns,
    {
      write: 'w',
      describeRead: (key, read) => `read ${keyName(key)} = ${show(read)}`,
      describeWrite: (value) => `wrote ${show(value)}`,
    },
    collector,
  );
  const graphs = versionGraphs(txns, exts, keys, { ...options, transactionOrder }, collector);
  const edges = new EdgeList();
  addEdges(keys, graphs, edges);
  const warnings =
    unwritten > 0
      ? [`${unwritten} read(s) saw a value no transaction wrote; they are taken as reads of initial data.`]
      : [];
  const verdict = analyse(
    { historyLength: history.length, txns, plan, collector, budget },
    {
      edges,
      explain: (kind, a, b, name) => explainEdge(txns, exts, keys, graphs, kind, a, b, name),
      keyCount: keys.size,
      warnings,
    },
  );
  return { kind: 'rw-register', ...verdict };
}

function addInternal(txns: Txns, collector: AnomalyCollector): void {
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] !== OK) continue;
    const internal = internalCase(txns.mops[t]!);
    if (!internal) continue;
    collector.add('internal', () => {
      const [, k, v] = txns.mops[t]![internal.mop]!;
      return {
        explanation:
          `T1 read ${keyName(k)} = ${show(v)}, but its own earlier read or write of ${keyName(k)} says it should ` +
          `have read ${show(internal.expected)}.`,
        txns: [{ name: 'T1', ...txnRef(txns, t) }],
        key: k,
        details: { mop: internal.mop, expected: internal.expected },
      };
    });
  }
}

/** The transaction order as history position → rank. Throws UserError naming the option when it is malformed. */
export function parseTransactionOrder(
  order: Readonly<Record<string, Json>> | undefined,
): Map<number, number> | undefined {
  if (order === undefined) return undefined;
  if (typeof order !== 'object' || order === null || Array.isArray(order)) {
    throw new UserError('must be an object mapping history positions to ranks, e.g. {"1": 0, "3": 1}', {
      where: '--transaction-order',
    });
  }
  const map = new Map<number, number>();
  for (const [position, rank] of Object.entries(order)) {
    const p = Number(position);
    if (!Number.isSafeInteger(p) || p < 0 || typeof rank !== 'number' || !Number.isFinite(rank)) {
      throw new UserError(
        `entry ${JSON.stringify(position)}: ${JSON.stringify(rank)}: want a history position and a number`,
        {
          where: '--transaction-order',
        },
      );
    }
    map.set(p, rank);
  }
  return map;
}
