/**
 * Pairing: a history is a flat list of invocations and completions; an
 * operation is an invocation with its completion. `pairOps` is the one place
 * that pairs them; everything else (checkers, the report, the run's fault
 * windows and status line) starts from its answer.
 *
 * Real-time order is the order of the history (the array position), not the
 * `time` field: Jepsen histories do not always have monotonic times.
 */
import { MalformedHistoryError } from './errors.js';
import { type CompletionOp, type History, type InvokeOp, type Json, OP_TYPES, type Op, type ProcessId } from './op.js';

/** An invocation and its completion. */
export interface Operation {
  process: ProcessId;
  f: string;
  invoke: InvokeOp;
  /** undefined: it never completed (the history ended first). */
  complete: CompletionOp | undefined;
}

export interface PairOptions {
  /** Which ops: client ops (default), nemesis ops, or both. */
  processes?: 'clients' | 'nemesis' | 'all';
  /**
   * Skip what cannot be paired instead of throwing: a completion with no
   * pending invocation is dropped; an invocation while one is pending leaves
   * the earlier one uncompleted. For drawing a report of any history.
   */
  lenient?: boolean;
}

/** What one op did to the pairing. */
export type Paired = { kind: 'invoked' | 'completed'; operation: Operation };

/**
 * Pairs ops one at a time, for a history that is still growing (the run's
 * live status line); `pairOps` pairs a whole history with it. `add` says
 * what the op did: `invoked` a new operation, `completed` a pending one, or
 * undefined for an op it skips (another process kind, or in lenient mode a
 * stray completion). Throws MalformedHistoryError
 * like `pairOps`, with `position` as the op's place in the history.
 */
export class OpPairer {
  private readonly which: NonNullable<PairOptions['processes']>;
  private readonly lenient: boolean;
  private readonly pending = new Map<ProcessId, Operation>();

  constructor(options: PairOptions = {}) {
    this.which = options.processes ?? 'clients';
    this.lenient = options.lenient === true;
  }

  add(op: Op, position: number = op.index): Paired | undefined {
    if (!OP_TYPES.includes(op.type)) {
      if (this.lenient) return undefined;
      throw new MalformedHistoryError(`unknown op type ${JSON.stringify(op.type)}`, position);
    }
    const nemesis = op.process === 'nemesis';
    if ((this.which === 'clients' && nemesis) || (this.which === 'nemesis' && !nemesis)) return undefined;
    const open = this.pending.get(op.process);
    // A nemesis op's invocation is recorded as info: the first of each pair invokes.
    if (op.type === 'invoke' || (nemesis && open === undefined)) {
      if (open !== undefined && !this.lenient) {
        throw new MalformedHistoryError(
          `process ${String(op.process)} invokes ${op.f} while its ${open.f} ` +
            `(invoked at op ${open.invoke.index}) is still pending`,
          position,
        );
      }
      const operation: Operation = {
        process: op.process,
        f: op.f,
        invoke: op.type === 'invoke' ? op : { ...op, type: 'invoke' },
        complete: undefined,
      };
      this.pending.set(op.process, operation);
      return { kind: 'invoked', operation };
    }
    if (open === undefined) {
      if (this.lenient) return undefined;
      throw new MalformedHistoryError(
        `${op.type} completion of ${op.f} by process ${String(op.process)}, which has no pending invocation`,
        position,
      );
    }
    if (open.f !== op.f && !this.lenient) {
      throw new MalformedHistoryError(
        `${op.type} completion has f ${JSON.stringify(op.f)} but process ${String(op.process)} ` +
          `invoked ${JSON.stringify(open.f)} at op ${open.invoke.index}`,
        position,
      );
    }
    this.pending.delete(op.process);
    open.complete = op as CompletionOp;
    return { kind: 'completed', operation: open };
  }
}

/**
 * Pairs invocations with completions by process, in invocation order.
 * Nemesis ops are invoked with `info` as well as completed with it.
 * Throws MalformedHistoryError (with the history position) unless `lenient`:
 * an unknown type, a completion with no pending invocation on its process, a
 * process that invokes while it has an op pending, or a completion whose f
 * differs from its invocation's.
 */
export function pairOps(history: History, options: PairOptions = {}): Operation[] {
  const pairer = new OpPairer(options);
  const ops: Operation[] = [];
  for (let position = 0; position < history.length; position++) {
    const paired = pairer.add(history[position]!, position);
    if (paired?.kind === 'invoked') ops.push(paired.operation);
  }
  return ops;
}

/** A client op as checkers reason about it: the invocation and completion folded together. */
export interface PairedOp {
  /** Position in the paired list (ordered by invocation). */
  id: number;
  process: ProcessId;
  f: string;
  /** For ok ops the completion's value, unless that is null/absent and the invocation's is not; else the invocation's. */
  value: Json | undefined;
  key: Json | undefined;
  /** ok: it happened; info: it may or may not have happened (no completion, or completed by info). */
  outcome: 'ok' | 'info';
  /** History position of the invocation. */
  invokeIndex: number;
  /** History position of the ok completion; undefined when the op is open (info or never completed). */
  completeIndex: number | undefined;
  invokeTime: number;
  /** Time of the ok completion; undefined when open. */
  completeTime: number | undefined;
  /** The node that served it (from the completion), when recorded. */
  node: string | undefined;
}

/**
 * The client ops that happened or may have happened, in invocation order:
 * `fail` ops are dropped (they certainly did not happen); an op completed by
 * `info`, or never completed, is open: it keeps its invocation's value and
 * has no completion index. An `ok` op takes its value from the completion (a
 * read's invocation carries null), unless the completion's is null or absent
 * and the invocation's is not (a client that completes a write 3 with null).
 * Throws MalformedHistoryError like `pairOps`.
 */
export function pairHistory(history: History): PairedOp[] {
  const paired: PairedOp[] = [];
  for (const { process, f, invoke, complete } of pairOps(history)) {
    if (complete?.type === 'fail') continue;
    const ok = complete?.type === 'ok';
    const keepInvoked = complete?.value === undefined || complete.value === null;
    paired.push({
      id: paired.length,
      process,
      f,
      value:
        ok && !(keepInvoked && invoke.value !== undefined && invoke.value !== null) ? complete.value : invoke.value,
      key: invoke.key ?? (ok ? complete.key : undefined),
      outcome: ok ? 'ok' : 'info',
      invokeIndex: invoke.index,
      completeIndex: ok ? complete.index : undefined,
      invokeTime: invoke.time,
      completeTime: ok ? complete.time : undefined,
      node: complete?.node,
    });
  }
  return paired;
}
