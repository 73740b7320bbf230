/**
 * What the HTML report is made from. `renderReport` (./render.ts) turns a
 * ReportInput into one self-contained HTML string.
 */
import type { ResultBase } from '../../checkers/checker.js';
import type { Op } from '../history/op.js';
import type { FaultWindow, RunResults, TestRecord } from '../results/results.js';
import type { NodeLogs } from './page-types.js';

/** One measured clock offset: node `node` was `offsetMs` ahead (negative: behind) at `time` (ns since test start). */
export interface ClockSample {
  node: string;
  time: number;
  offsetMs: number;
}

export type { NodeLogs };

export interface ReportInput {
  /** The run's test.json; absent for an offline `faultline check`. */
  test?: TestRecord | undefined;
  history: readonly Op[];
  /** A run's results.json, or a bare checker result (offline `check`). */
  results: RunResults | ResultBase;
  nodeLogs?: NodeLogs[] | undefined;
  /**
   * Measured clock offsets. When absent they are taken from the history's
   * nemesis ops (see clockSamplesFromHistory in ./clock.ts); when there are
   * none, the clock chart is omitted.
   */
  clock?: ClockSample[] | undefined;
  /**
   * For offline checks (no results.json): the fault windows, computed with the
   * fault registry as a run computes them (nemesis historyFaultWindows).
   */
  faults?: FaultWindow[] | undefined;
  /** For offline checks: the checked file and the model, shown in the header. */
  source?: { file: string; model?: string | undefined } | undefined;
}

/** True when `results` is a run's results.json rather than a bare checker result. */
export function isRunResults(results: RunResults | ResultBase): results is RunResults {
  const r = results as Partial<RunResults>;
  return (
    typeof r.checker === 'object' &&
    r.checker !== null &&
    typeof r.stats === 'object' &&
    r.stats !== null &&
    Array.isArray(r.faults)
  );
}
