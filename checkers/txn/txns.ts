/**
 * The transactions of a history, as the transactional checkers see them: one
 * per client operation (invocation and completion), numbered 0, 1, 2, ... in
 * invocation order, stored column-wise in typed arrays so that a million of
 * them stay compact.
 *
 * A transaction's value is a list of micro-operations `[f, key, value]`
 * (Elle's shape): `["append", "x", 3]`, `["r", "x", [1, 2]]`, `["w", "x", 5]`.
 *
 * - ok: it committed; its micro-ops are the completion's (reads filled in:
 *   what the completion reports is what happened, as in Elle; the
 *   invocation's micro-ops are not looked at).
 * - info (completed with info, or never completed): it may or may not have
 *   committed; its micro-ops are the invocation's, so its writes are known
 *   and its reads are not.
 * - fail: it certainly did not commit; its micro-ops are the invocation's.
 *
 * The f of the op is not checked (Elle's JSON histories often have none).
 */
import { MalformedHistoryError } from '../../harness/history/errors.js';
import type { History, Json, ProcessId } from '../../harness/history/op.js';
import { pairOps } from '../../harness/history/pair.js';

export const OK = 0;
export const INFO = 1;
export const FAIL = 2;
export type Status = typeof OK | typeof INFO | typeof FAIL;
export const STATUS_NAMES = ['ok', 'info', 'fail'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/** A micro-operation as recorded: [f, key, value]. */
export type Mop = readonly [string, Json, Json];

export interface Txns {
  readonly count: number;
  /** OK, INFO or FAIL. */
  readonly status: Uint8Array;
  /** Client processes are whole numbers. */
  readonly process: Float64Array;
  /** History position of the invocation. */
  readonly invokeIndex: Int32Array;
  /** History position of the ok completion; -1 when there is none (info, fail, never completed). */
  readonly okIndex: Int32Array;
  /** History position of the completion of any type; -1 when it never completed. */
  readonly completeIndex: Int32Array;
  readonly mops: (readonly Mop[])[];
}

export interface TxnShape {
  /** The checker's name, for messages ("the list-append checker ..."). */
  checker: string;
  /** The micro-op fs it knows, e.g. ['append', 'r']. */
  fs: readonly string[];
  /** Checks one micro-op of an invocation (ok: false) or an ok completion (ok: true); returns a problem or undefined. */
  checkMop(mop: Mop, ok: boolean): string | undefined;
}

/**
 * Reads the client operations of `history` as transactions.
 * Returns them in invocation order. `visit`, when given, sees each
 * transaction's micro-ops as soon as they are read: work done there finds
 * them still in the processor's cache, which matters with millions of them.
 * Throws MalformedHistoryError (with the history position) when pairing
 * fails (see pairOps) or a value is not a list of [f, key, value] micro-ops
 * of the shape's fs.
 */
export function readTxns(
  history: History,
  shape: TxnShape,
  visit?: (t: number, status: Status, mops: readonly Mop[]) => void,
): Txns {
  const operations = pairOps(history);
  const n = operations.length;
  const status = new Uint8Array(n);
  const process = new Float64Array(n);
  const invokeIndex = new Int32Array(n);
  const okIndex = new Int32Array(n).fill(-1);
  const completeIndex = new Int32Array(n).fill(-1);
  const mops: (readonly Mop[])[] = new Array(n);
  for (let t = 0; t < n; t++) {
    const { invoke, complete } = operations[t]!;
    process[t] = invoke.process as number;
    invokeIndex[t] = invoke.index;
    if (complete !== undefined) completeIndex[t] = complete.index;
    if (complete?.type === 'ok') {
      status[t] = OK;
      okIndex[t] = complete.index;
      mops[t] = mopList(complete.value, complete.index, shape, true);
    } else {
      status[t] = complete?.type === 'fail' ? FAIL : INFO;
      mops[t] = mopList(invoke.value, invoke.index, shape, false);
    }
    visit?.(t, status[t] as Status, mops[t]!);
  }
  return { count: n, status, process, invokeIndex, okIndex, completeIndex, mops };
}

function mopList(value: Json | undefined, index: number, shape: TxnShape, ok: boolean): readonly Mop[] {
  if (!Array.isArray(value)) {
    throw new MalformedHistoryError(
      `the ${shape.checker} checker reads transactions: the value must be a list of micro-ops ` +
        `like ["${shape.fs[0]}", "x", 1], got ${brief(value)}`,
      index,
    );
  }
  for (let i = 0; i < value.length; i++) {
    const mop = value[i];
    if (!Array.isArray(mop) || mop.length !== 3 || typeof mop[0] !== 'string' || !shape.fs.includes(mop[0])) {
      throw new MalformedHistoryError(
        `micro-op ${i} must be [f, key, value] with f one of ${shape.fs.join(', ')}, got ${brief(mop)}`,
        index,
      );
    }
    const problem = shape.checkMop(mop as unknown as Mop, ok);
    if (problem) throw new MalformedHistoryError(`micro-op ${i} ${brief(mop)}: ${problem}`, index);
  }
  return value as unknown as readonly Mop[];
}

function brief(value: unknown): string {
  if (value === undefined) return 'no value';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** A transaction as results and reports show it: where it is in the history and what it did. */
export interface TxnRef {
  /** Its number among the history's transactions (0 = invoked first). */
  id: number;
  process: ProcessId;
  status: StatusName;
  invokeIndex: number;
  /** History position of its completion; null when it never completed. */
  completeIndex: number | null;
  /** Its micro-ops (ok: as completed; info and fail: as invoked). */
  mops: Json[];
}

export function txnRef(txns: Txns, t: number): TxnRef {
  const complete = txns.completeIndex[t]!;
  return {
    id: t,
    process: txns.process[t]!,
    status: STATUS_NAMES[txns.status[t]!]!,
    invokeIndex: txns.invokeIndex[t]!,
    completeIndex: complete === -1 ? null : complete,
    mops: txns.mops[t]! as unknown as Json[],
  };
}
