/**
 * What the linearizability checker returns. The evidence is for a person (and
 * the HTML report): for `false`, the op that cannot be linearized, the last ok
 * op that could, and the partial linearizations that got furthest, with the
 * model state after each step.
 */
import type { Json } from '../../harness/history/op.js';
import type { PairedOp } from '../../harness/history/pair.js';
import type { ResultBase } from '../checker.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    linearizable: LinearizableResult;
  }
}

/** One operation of the history, invocation and completion together. */
/**
 * One operation of the history as evidence: a PairedOp (its invocation and
 * completion together, harness/history/pair.ts) without its list position,
 * with the op in words. `key` and `node` are left out when absent.
 */
export type OpSummary = Omit<PairedOp, 'id' | 'key' | 'node'> & {
  key?: Json | undefined;
  /** The node that served it, when the history records one. */
  node?: string | undefined;
  /** e.g. "cas 1→2", "read 3". */
  text: string;
};

export interface LinearizationStep {
  op: OpSummary;
  /** The model state after this op. */
  state: Json;
  /** The state in words: "register holds 2". */
  stateText: string;
}

export interface PartialLinearization {
  /** The last steps of the partial linearization, oldest first (long ones are cut to their tail). */
  steps: LinearizationStep[];
  /** How many earlier steps were left out (0 or absent: none). */
  omittedSteps?: number;
  /** The model state before `steps[0]` (the initial state when nothing was left out). */
  stateBefore?: Json;
}

export interface KeyFailure {
  /** The independent key (undefined when the model does not partition). */
  key: Json | undefined;
  /** The op that cannot be linearized after any of the partial linearizations. */
  failedOp: OpSummary;
  /** The last ok op that could be linearized (undefined when none). */
  lastOkOp: OpSummary | undefined;
  /** The longest partial linearizations found (a few, longest first). */
  partials: PartialLinearization[];
  /** Ops concurrent with failedOp, for drawing (at most 100, those invoked nearest to it). */
  concurrent: OpSummary[];
  /** How many ops are concurrent with failedOp in all (when more than listed). */
  concurrentTotal?: number;
  /** Plain words: "read of 3 cannot follow write 2: register holds 2". */
  explanation: string;
}

interface LinearizableFields extends ResultBase {
  readonly kind: 'linearizable';
  model: string;
  keys: number;
  opsChecked: number;
  elapsedMs: number;
  /** Keys decided from their unique values without searching (see unique-values.ts). */
  keysByUniqueValues?: number;
}

export type LinearizableResult =
  | (LinearizableFields & { valid: true })
  | (LinearizableFields & {
      valid: false;
      /** The failure's explanation. */
      error: string;
      failure: KeyFailure;
    })
  | (LinearizableFields & {
      valid: 'unknown';
      /** Why: "timed out after 10000 ms", "memory budget of 1 GiB exceeded", an error. */
      error: string;
      /** How far the search got on the keys it could not decide. */
      furthest: { key: Json | undefined; linearized: number; of: number; partial?: PartialLinearization }[];
    });
