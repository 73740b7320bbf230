/**
 * What the session-guarantees checker returns: a ladder (each guarantee held,
 * violated, not exercised, or not observable on this data type), the
 * violations with the ops that show them, and, beside the guarantees, the
 * anomalies no guarantee explains (lost acknowledged adds, reads of values
 * nobody wrote).
 */
import type { Json, ProcessId } from '../../harness/history/op.js';
import type { ResultBase } from '../checker.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    session: SessionResult;
  }
}

/** Terry et al.'s four session guarantees, in the order the ladder lists them. */
export const GUARANTEES = ['read-your-writes', 'monotonic-reads', 'monotonic-writes', 'writes-follow-reads'] as const;
export type Guarantee = (typeof GUARANTEES)[number];

export type Datatype = 'register' | 'set';

/** One op of a session, as the evidence shows it. */
export interface SessionOp {
  process: ProcessId;
  /** read, write (registers) or add (sets). */
  f: string;
  /** write / add: the value written; read: the value read (registers) or the elements (sets). */
  value: Json;
  /** ok: it happened; info: it may or may not have happened. */
  outcome: 'ok' | 'info';
  /** History position of the invocation. */
  invokeIndex: number;
  /** History position of the ok completion; undefined when the op is open (info). */
  completeIndex: number | undefined;
  /** ns since the test started: the ok completion's time, or the invocation's for an open op. */
  time: number;
  /** ns since the test started of the invocation. */
  invokeTime: number;
  /** The node that served it (the completion's `node`), when recorded. */
  node: string | undefined;
}

/** Why a register version is certainly older than another (see versions.ts). */
export interface OlderVersion {
  /** The older value; null is the initial value, older than every write. */
  older: Json;
  /** When the older value was certainly in the store; undefined for the initial value. */
  known?: { how: 'acknowledged' | 'read'; index: number; time: number } | undefined;
  /** The newer value and when its write was invoked (after `known`). */
  newer: Json;
  newerInvoked: { index: number; time: number };
}

export interface SessionViolation {
  guarantee: Guarantee;
  key: Json | undefined;
  /** The session the guarantee belongs to (for monotonic writes and writes-follow-reads: the writer). */
  process: ProcessId;
  /**
   * The session's op that sets what must be seen: its write (read-your-writes),
   * its earlier read (monotonic reads), its earlier write (monotonic writes), its
   * read before the write (writes-follow-reads).
   */
  earlier: SessionOp;
  /** Monotonic writes and writes-follow-reads: the session's later write, which the read saw. */
  write?: SessionOp | undefined;
  /** The read that shows the violation (for monotonic writes and writes-follow-reads, by any session). */
  read: SessionOp;
  /** Sets: the elements the read should have had and did not. Registers: the version it went behind. */
  missing: Json[];
  /** Registers: why the value read is older than the one it had to be at least. */
  order?: OlderVersion | undefined;
  /** One sentence for people. */
  explanation: string;
}

export type GuaranteeStatus = 'held' | 'violated' | 'not-exercised' | 'not-observable';

/** One rung of the ladder. */
export interface GuaranteeVerdict {
  guarantee: Guarantee;
  /**
   * held: judged on at least one read, never violated. violated: at least one
   * violation. not-exercised: no read to judge it on. not-observable: this data
   * type cannot show it (see `note`).
   */
  status: GuaranteeStatus;
  /** Whether a violation makes the verdict false (the checker's `require` option). */
  required: boolean;
  /** Reads judged against it and decided. */
  judged: number;
  /** Reads it applied to but that could not be decided (registers: the two versions' order is unknown). */
  undecided: number;
  /** Violations in all (the evidence lists at most `violationLimit` of them). */
  violations: number;
  note?: string | undefined;
}

/** A register read that no write explains: the value was never written, its write failed, or was written later. */
export interface UnexplainedRead {
  key: Json | undefined;
  read: SessionOp;
  why: string;
}

/** Set anomalies from checkers/set, key by key (only keys that have any). */
export interface SetAnomalies {
  key: Json | undefined;
  /** Acknowledged (or seen) elements missing from every read after some point. */
  lost: Json[];
  /** Elements read that were never added, or whose add definitely failed. */
  unexpected: Json[];
}

export interface SessionResult extends ResultBase {
  readonly kind: 'session';
  datatype: Datatype;
  keys: number;
  /** Distinct processes with at least one op that may have happened. */
  sessions: number;
  /** Reads that completed ok. */
  reads: number;
  /** Writes (or adds) that completed ok or may have happened. */
  writes: number;
  /** The four guarantees, in GUARANTEES order. */
  ladder: GuaranteeVerdict[];
  /** Up to `violationLimit` per guarantee, in history order of the read. */
  violations: SessionViolation[];
  /** Registers only. */
  unexplained: UnexplainedRead[];
  unexplainedCount: number;
  /** Sets only. */
  setAnomalies: SetAnomalies[];
  lostCount: number;
  unexpectedCount: number;
  /** Set when the budget ran out: the checker judged only the reads before it. */
  stoppedEarly?: string | undefined;
}
