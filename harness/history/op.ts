/**
 * The history: one op per line of history.jsonl (see ../shared/DESIGN.md).
 *
 * - `invoke`: a process started an operation.
 * - `ok`: it certainly happened; for reads the value is what was read.
 * - `fail`: it certainly did not happen.
 * - `info`: it may or may not have happened (timeout, crash); the op stays open
 *   forever and the worker continues under a fresh process id.
 *
 * Nemesis ops use process "nemesis" and are always `info`.
 */

/** Any JSON value. Op values are data recorded from a real system: never trust their shape. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type OpType = 'invoke' | 'ok' | 'fail' | 'info';

/** A client process id, or "nemesis" for fault ops. */
export type ProcessId = number | 'nemesis';

interface OpFields {
  /** Position in the history, from 0. */
  index: number;
  /** Monotonic nanoseconds since the test started. */
  time: number;
  process: ProcessId;
  /** The operation's name: read, write, cas, add, txn, start-partition, ... */
  f: string;
  value?: Json | undefined;
  /** The independent key this op belongs to, for workloads over several keys. */
  key?: Json | undefined;
  /** The node the client talked to (completions only). */
  node?: string | undefined;
  /** Why it failed or is indeterminate, for people. */
  error?: Json | undefined;
}

export interface InvokeOp extends OpFields {
  type: 'invoke';
}
export interface OkOp extends OpFields {
  type: 'ok';
}
export interface FailOp extends OpFields {
  type: 'fail';
}
export interface InfoOp extends OpFields {
  type: 'info';
}

export type Op = InvokeOp | OkOp | FailOp | InfoOp;
export type CompletionOp = OkOp | FailOp | InfoOp;
export type History = readonly Op[];

export const OP_TYPES: readonly OpType[] = ['invoke', 'ok', 'fail', 'info'];

/**
 * The shapes an op takes before it is recorded are parts of Op, not types of
 * their own:
 *
 * - OpRequest: what a generator asks for, a client or the nemesis is given
 *   (the interpreter adds index, time and type);
 * - CompletionFields: what a client or the nemesis answered (the interpreter
 *   adds index, time, process, f and key from the invocation).
 */
export type OpRequest = Pick<Op, 'process' | 'f' | 'value' | 'key'>;
export type CompletionFields = Pick<CompletionOp, 'type' | 'value' | 'node' | 'error'>;
