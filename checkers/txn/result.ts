/**
 * What the transactional checkers (list-append, rw-register) return: Elle's
 * result shape (valid, anomaly types, the anomalies, the models ruled out)
 * with faultline's evidence: every case names its transactions (T1, T2, ...
 * in the order its explanation uses them) and says in plain words what
 * happened; a cycle also lists its edges, each with the key and values that
 * justify it.
 */
import type { Json } from '../../harness/history/op.js';
import type { ResultBase, Validity } from '../checker.js';
import type { EdgeKindName } from './kinds.js';
import type { TxnRef } from './txns.js';

/** A transaction as a case shows it, with the name the explanation uses. */
export interface NamedTxn extends TxnRef {
  name: string;
}

/** One edge of a cycle and why it is there. */
export interface CycleStep {
  /** Names of the transactions (as in the case's txns). */
  from: string;
  to: string;
  kind: EdgeKindName;
  /** The key it is about (data edges). */
  key?: Json | undefined;
  /** Positions of the micro-ops in `from` and `to` that justify it (data edges). */
  fromMop?: number | undefined;
  toMop?: number | undefined;
  /** The justification in words: "T2 appended 3 to x after T1 appended 2 (x was read as [.., 2, 3])". */
  text: string;
}

/** One instance of an anomaly. */
export interface AnomalyCase {
  /** What happened, in words built from the history. */
  explanation: string;
  /** The transactions involved. */
  txns: NamedTxn[];
  /** For a cycle: its edges, in order (the last one closes it). */
  steps?: CycleStep[] | undefined;
  /** The key it is about, when there is one. */
  key?: Json | undefined;
  /** Further facts, named as Elle names them (element, expected, values, ...). */
  details?: Record<string, Json> | undefined;
}

export interface AnomalyGroup {
  /** How many were found (more than `cases` lists when the list was cut). */
  count: number;
  cases: AnomalyCase[];
}

export interface TxnStats {
  txns: number;
  ok: number;
  info: number;
  fail: number;
  keys: number;
  /** Edges of each kind in the dependency graph. */
  edges: Record<EdgeKindName, number>;
  /** Strongly connected components with more than one transaction (where cycles are). */
  components: number;
  /** The largest of them. */
  largestComponent: number;
  elapsedMs: number;
}

export interface TxnResultFields extends ResultBase {
  valid: Validity;
  /** The anomaly types found that the checked models forbid or that make the verdict unknown, sorted. */
  anomalyTypes: string[];
  anomalies: Record<string, AnomalyGroup>;
  /** The weakest models the anomalies rule out (friendly names). */
  not: string[];
  /** The other models they rule out. */
  alsoNot: string[];
  /** The models checked against. */
  consistencyModels: string[];
  /** Anomaly types asked for beyond the models'. */
  extraAnomalies: string[];
  stats: TxnStats;
  /** Oddities in the history that did not change the verdict. */
  warnings: string[];
}
