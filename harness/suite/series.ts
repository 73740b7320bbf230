/**
 * Runs one test after another: a series is one test repeated (`faultline
 * test --test-count N`), a suite is many series (`faultline suite`). Each run
 * is a whole `faultline test`; what came of it is a RunReport, which the
 * summary table, the JUnit file and the GitHub step summary are made from.
 *
 * - Repeats of a test get seeds derived from the first (seeds.ts). They stop
 *   at the first invalid run unless `keepGoing`; the repeats not run are
 *   counted in `skipped`.
 * - A run that crashes (the cluster did not come up, ...) is reported and
 *   the next run goes ahead. A UserError from a run (the cluster name is in
 *   use, the netns runtime needs root, ...) will not go away by itself: the
 *   rest is not run (`stopped: 'bad-config'`). Ctrl-C (or `signal`) stops
 *   everything after the current run has healed and torn down.
 * - With keep 'failed', the results folder of a valid run is removed once it
 *   is done: what is left is what needs looking at (and uploading from CI).
 */
import type { Validity } from '../../checkers/checker.js';
import type { FaultlineConfig } from '../config/schema.js';
import { InterruptedError, UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { removeRunDir } from '../results/prune.js';
import type { TestOptions } from '../run/options.js';
import type { RunControls, RunOutcome } from '../run/run-test.js';
import { describeAnomaly } from '../run/summary.js';
import { repeatSeed } from './seeds.js';

export interface SeriesSpec {
  /** Names the series (summary, JUnit), e.g. "etcd-register-partition". */
  label: string;
  config: FaultlineConfig;
  /** The first run's options; later runs differ only in their seed. */
  options: TestOptions;
  /** How many times to run it (at least 1). */
  count: number;
  /** Repeat after an invalid run too (default: stop this series at the first invalid run). */
  keepGoing: boolean;
}

/**
 * How a run ended: its verdict; `crashed` (it threw: no verdict);
 * `bad-config` (it threw a UserError: nothing else is run); `interrupted`
 * (Ctrl-C: nothing else is run).
 */
export type RunVerdict = 'valid' | 'invalid' | 'unknown' | 'crashed' | 'bad-config' | 'interrupted';

export interface RunReport {
  series: string;
  /** 1-based position in its series, of `count`. */
  index: number;
  count: number;
  name: string;
  target: string;
  workload: string;
  nemesis: string[];
  seed: number;
  /** ISO time the run started. */
  startedAt: string;
  durationSeconds: number;
  verdict: RunVerdict;
  /** Interrupted runs: the verdict of the partial history's check, when it was checked. */
  partialVerdict?: Validity;
  /** The anomaly in a sentence (invalid, unknown), or the error (crashed, bad-config, interrupted). */
  summary?: string;
  warnings: string[];
  /** The results folder, when the run got as far as making it. */
  runDir?: string;
  /** False when the folder was removed (keep 'failed' and the run was valid). */
  kept: boolean;
  /** The runtime and cluster the run used, when it got that far. */
  cluster?: { runtime: string; name: string };
  /** Crashed runs: what was thrown (its stack is shown with FAULTLINE_DEBUG=1). */
  error?: unknown;
}

export interface SeriesResult {
  runs: RunReport[];
  /** Repeats not run because an earlier run of their series was invalid. */
  skipped: Array<{ series: string; runs: number; afterIndex: number }>;
  /** Why the rest was not run, when it stopped early. */
  stopped?: 'bad-config' | 'interrupted';
}

export interface SeriesDeps {
  /** Runs one test (runTest, with the log and any controls of the caller's bound). */
  run(config: FaultlineConfig, options: TestOptions, controls: RunControls): Promise<RunOutcome>;
  keep: 'all' | 'failed';
  log: Logger;
  /** Once aborted, no further run starts (Ctrl-C between runs). */
  signal?: AbortSignal;
  /** Called after each run, before the next starts (to print it, annotate, rewrite the JUnit file). */
  onRun?(report: RunReport): void | Promise<void>;
}

/** Runs every series in order (see the module comment). Never throws for a run's failure: it is reported. */
export async function runSeries(specs: readonly SeriesSpec[], deps: SeriesDeps): Promise<SeriesResult> {
  const result: SeriesResult = { runs: [], skipped: [] };
  const total = specs.reduce((n, s) => n + s.count, 0);
  for (const spec of specs) {
    for (let i = 0; i < spec.count; i++) {
      if (deps.signal?.aborted) {
        result.stopped = 'interrupted';
        return result;
      }
      const options: TestOptions = { ...spec.options, seed: repeatSeed(spec.options.seed, i) };
      deps.log.info(
        `run ${result.runs.length + 1} of ${total}: ${options.name}` +
          `${spec.count > 1 ? ` (${i + 1} of ${spec.count})` : ''}, seed ${options.seed}`,
      );
      const report = await runOne(spec, options, i, deps);
      result.runs.push(report);
      await deps.onRun?.(report);
      if (report.verdict === 'bad-config' || report.verdict === 'interrupted') {
        result.stopped = report.verdict;
        return result;
      }
      if (report.verdict === 'invalid' && !spec.keepGoing && i + 1 < spec.count) {
        result.skipped.push({ series: spec.label, runs: spec.count - i - 1, afterIndex: i + 1 });
        break;
      }
    }
  }
  return result;
}

async function runOne(spec: SeriesSpec, options: TestOptions, i: number, deps: SeriesDeps): Promise<RunReport> {
  const startedAt = new Date();
  const report: RunReport = {
    series: spec.label,
    index: i + 1,
    count: spec.count,
    name: options.name,
    target: options.target,
    workload: options.workload,
    nemesis: options.nemesis,
    seed: options.seed,
    startedAt: startedAt.toISOString(),
    durationSeconds: 0,
    verdict: 'crashed',
    warnings: [],
    kept: false,
  };
  const onStart: RunControls['onStart'] = (started) => {
    report.runDir = started.runDir;
    report.kept = true;
    report.cluster = { runtime: started.runtime, name: started.cluster };
  };
  try {
    const outcome = await deps.run(spec.config, options, { onStart });
    const { results } = outcome;
    report.runDir = outcome.runDir;
    report.kept = true;
    report.warnings = results.warnings;
    report.summary = describeAnomaly(results.checker);
    if (outcome.aborted) {
      report.verdict = 'interrupted';
      report.partialVerdict = results.valid;
    } else report.verdict = results.valid === true ? 'valid' : results.valid === false ? 'invalid' : 'unknown';
  } catch (err) {
    report.verdict =
      err instanceof UserError ? 'bad-config' : err instanceof InterruptedError ? 'interrupted' : 'crashed';
    report.summary = err instanceof Error ? err.message : String(err);
    if (report.verdict === 'crashed') report.error = err;
  }
  report.durationSeconds = (Date.now() - startedAt.getTime()) / 1000;
  if (report.verdict === 'valid' && deps.keep === 'failed' && report.runDir) {
    try {
      await removeRunDir(options.resultsDir, report.runDir);
      report.kept = false;
    } catch (err) {
      deps.log.warn(`could not remove ${report.runDir}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return report;
}
