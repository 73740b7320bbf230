/**
 * What `faultline test`, `faultline suite` and `faultline repro` share once
 * they know what to run: the flags that say how (--test-count, --keep-going,
 * --keep, --junit, --leave-db-running), running the series, and everything
 * printed and written about it: each run's verdict as it ends, the summary
 * table, the JUnit file, and under GitHub Actions the step summary and
 * annotations. Returns the exit code (harness/suite/aggregate.ts).
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Options } from 'yargs';
import { annotation, inGithubActions, stepSummary } from '../ci/github.js';
import { junitXml } from '../ci/junit.js';
import type { FaultlineConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import type { TestOptions } from '../run/options.js';
import type { RunControls, RunOutcome } from '../run/run-test.js';
import { verdictWord } from '../run/summary.js';
import { seriesExitCode } from '../suite/aggregate.js';
import { type RunReport, runSeries, type SeriesResult, type SeriesSpec } from '../suite/series.js';
import { summaryTable } from '../suite/summary-table.js';
import { terminalSafe } from '../terminal-text.js';
import { positiveOption } from './options.js';

export const RESULTS_GROUP = 'Results and CI:';

export interface SeriesFlags {
  /** --test-count: undefined when not given. */
  testCount?: number;
  keepGoing: boolean;
  keep: 'all' | 'failed';
  junit?: string;
  leaveDbRunning: boolean;
}

/** The yargs options of SeriesFlags (--test-count only where a test is repeated: `withCount`). */
export function seriesFlagOptions(withCount: boolean): Record<string, Options> {
  const count: Record<string, Options> = {
    'test-count': {
      describe:
        'run the test N times, seeds derived from the first (each in its test.json); stops at the first invalid run',
      type: 'string',
      number: true, // shown as [number]; arrives as text so that a bad value is reported as typed
      group: 'Run:',
    },
    'keep-going': {
      describe: 'with --test-count: go on after an invalid run',
      type: 'boolean',
      group: 'Run:',
    },
  };
  return {
    ...(withCount ? count : {}),
    keep: {
      describe: 'results folders to keep: all, or failed (removes those of runs that passed)',
      choices: ['all', 'failed'],
      default: 'all',
      group: RESULTS_GROUP,
    },
    junit: { describe: 'write a JUnit XML file (one testcase per run) to FILE', type: 'string', group: RESULTS_GROUP },
    'leave-db-running': {
      describe:
        'leave the SUT running and the nodes up at the end (faults are still healed); faultline clean removes them',
      type: 'boolean',
      default: false,
      group: 'Cluster:',
    },
  };
}

/** The series flags from parsed arguments. Throws UserError naming --test-count or --junit for a bad value. */
export function readSeriesFlags(args: Record<string, unknown>): SeriesFlags {
  const count = positiveOption(args.testCount as string | undefined, '--test-count', 'runs', 1);
  if (count !== undefined && !Number.isInteger(count)) {
    throw new UserError(`must be a whole number of runs, got ${JSON.stringify(args.testCount)}`, {
      where: '--test-count',
    });
  }
  const junit = args.junit as string | undefined;
  if (junit !== undefined && junit.trim() === '') throw new UserError('expected a file name', { where: '--junit' });
  return {
    ...(count !== undefined && { testCount: count }),
    keepGoing: args.keepGoing === true,
    keep: args.keep === 'failed' ? 'failed' : 'all',
    ...(junit !== undefined && { junit }),
    leaveDbRunning: args.leaveDbRunning === true,
  };
}

export interface ReportContext {
  /** Names the whole in the JUnit file and the step summary (the suite, or the test). */
  title: string;
  log: Logger;
  /** Print the summary table even for a single run (the suite command does). */
  alwaysSummarize?: boolean;
  /** Carries out one run (default: runTest; tests pass a stand-in). */
  runTest?: (config: FaultlineConfig, options: TestOptions, log: Logger, controls: RunControls) => Promise<RunOutcome>;
  /** Default: process.env (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, FAULTLINE_DEBUG). */
  env?: NodeJS.ProcessEnv;
}

/** Runs the series and reports on it (see the module comment). Returns the exit code. */
export async function runAndReport(specs: SeriesSpec[], flags: SeriesFlags, ctx: ReportContext): Promise<number> {
  // Loaded on demand: the run stack (runtimes, targets, dockerode) is not needed by other commands.
  const runTest = ctx.runTest ?? (await import('../run/run-test.js')).runTest;
  const env = ctx.env ?? process.env;
  const planned = specs.reduce((n, s) => n + s.count, 0);
  const github = inGithubActions(env);
  const stop = new AbortController();
  // Between runs, Ctrl-C stops the series after the current run (which heals and tears down on its own).
  // Once: a second Ctrl-C acts as it would without a series (during a run, the run's own handler).
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) ctx.log.warn(`${signal}: no further run will start`);
    stop.abort();
  };
  if (planned > 1) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const done: RunReport[] = [];
  let result: SeriesResult;
  try {
    result = await runSeries(specs, {
      run: (config, options, controls) =>
        runTest(config, options, ctx.log, { ...controls, leaveDbRunning: flags.leaveDbRunning }),
      keep: flags.keep,
      log: ctx.log,
      signal: stop.signal,
      onRun: async (run) => {
        done.push(run);
        printRun(run, flags, env);
        if (github) process.stdout.write(terminalSafe(annotation(run)));
        if (flags.junit) await writeJunit(flags.junit, { runs: done, skipped: [] }, ctx.title);
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (planned > 1 || ctx.alwaysSummarize) process.stdout.write(terminalSafe(`\n${summaryTable(result)}\n`));
  if (flags.junit) await writeJunit(flags.junit, result, ctx.title);
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (github && summaryFile) await appendFile(summaryFile, stepSummary(result, ctx.title));
  return seriesExitCode(result);
}

async function writeJunit(file: string, result: SeriesResult, title: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, junitXml(result, { title }));
  } catch (err) {
    throw new UserError(`cannot write the JUnit file: ${(err as Error).message}`, { where: '--junit', cause: err });
  }
}

/** What `faultline test` has always printed for a run: stdout for a verdict, stderr for an error. */
function printRun(run: RunReport, flags: SeriesFlags, env: NodeJS.ProcessEnv): void {
  // The anomaly, warnings and errors quote values from the history and messages of nodes: made safe for the terminal.
  const out = (text: string) => process.stdout.write(terminalSafe(text));
  const err = (text: string) => process.stderr.write(terminalSafe(text));
  if (run.verdict === 'bad-config' || (run.verdict === 'interrupted' && run.partialVerdict === undefined)) {
    err(`faultline: ${run.summary}\n`);
  } else if (run.verdict === 'crashed') {
    err(`faultline: run failed: ${run.summary}\n`);
    if (env.FAULTLINE_DEBUG === '1' && run.error instanceof Error) err(`${run.error.stack}\n`);
    else err('(set FAULTLINE_DEBUG=1 for the stack trace)\n');
    if (run.runDir) err(`  log: ${run.runDir}/faultline.log\n`);
  } else {
    const valid =
      run.verdict === 'interrupted'
        ? run.partialVerdict!
        : run.verdict === 'unknown'
          ? 'unknown'
          : run.verdict === 'valid';
    out(`\n${verdictWord(valid)}  ${run.name} (seed ${run.seed})\n`);
    if (valid !== true && run.summary) out(`  ${run.summary}\n`);
    for (const warning of run.warnings) out(`  warning: ${warning}\n`);
    if (run.kept) out(`  results: ${run.runDir}\n  report:  ${run.runDir}/report.html\n`);
    else out(`  results: ${run.runDir} (removed: the run passed, --keep failed)\n`);
    if (run.verdict === 'interrupted') out('  (interrupted: the history is partial)\n');
  }
  if (flags.leaveDbRunning && run.cluster) out(`  ${leftRunning(run)}\n`);
}

/** How to remove what --leave-db-running left. */
function leftRunning(run: RunReport): string {
  const { runtime, name } = run.cluster!;
  if (runtime === 'ssh') {
    return `left running: ${run.target} on the ssh hosts (the next faultline test on them stops it and wipes its data)`;
  }
  return `left running: cluster ${name} (${runtime}); remove it with: faultline clean --name ${name}`;
}
