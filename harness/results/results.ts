/**
 * The results folder of one run (see DESIGN.md):
 *
 *   results/<test-name>/<timestamp>/
 *     test.json       TestRecord: the full config and seed (written at start)
 *     history.jsonl   one Op per line (written as the run goes)
 *     results.json    RunResults (written after checking)
 *     report.html     self-contained report
 *     faultline.log   the controller's log
 *     nodes/<node>/   the SUT's logs
 *   results/latest -> <test-name>/<timestamp>
 */

import type { CheckResult, Validity } from '../../checkers/checker.js';
import type { Json } from '../history/op.js';

export interface TestRecord {
  name: string;
  target: string;
  workload: string;
  /** Nemesis package names, e.g. ["partition", "kill"]. */
  nemesis: string[];
  runtime: string;
  nodes: string[];
  concurrency: number;
  timeLimitSeconds: number;
  seed: number;
  /** ISO time the run started. */
  startedAt: string;
  /** Every option the run used, for replay. */
  options: Record<string, Json>;
}

/** A window during which a fault was active, for reports. Times in ns since test start. */
export interface FaultWindow {
  fault: string;
  start: number;
  /** Absent when the fault was still active at the end of the history. */
  end?: number;
  /** What it did, e.g. the grudge or the nodes killed. */
  detail: Json;
  /** The same in a few words ("n1 n2 | n3 n4 n5", "paused n3"), when the fault describes itself. */
  text?: string;
}

export interface RunResults {
  valid: Validity;
  /** The workload checker's result (for linearizability: see checkers/linearizable). */
  checker: CheckResult;
  stats: {
    ops: number;
    /** counts[f][type] for completions: ok / fail / info. */
    counts: Record<string, { ok: number; fail: number; info: number }>;
    durationSeconds: number;
  };
  faults: FaultWindow[];
  /** Things a person should know: e.g. "etcd ignores libfaketime: clock skew had no effect". */
  warnings: string[];
}
