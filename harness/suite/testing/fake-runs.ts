/**
 * A stand-in for runTest in tests of series, suites and their reports: each
 * call makes a real run folder (test.json, like a run) and answers with the
 * next verdict of a script, without any cluster.
 */
import type { CheckResult, Validity } from '../../../checkers/checker.js';
import { defaultConfig } from '../../config/load.js';
import { InterruptedError, UserError } from '../../errors.js';
import type { RunResults } from '../../results/results.js';
import { createRunDir } from '../../results/store.js';
import { resolveTestOptions, type TestOptions } from '../../run/options.js';
import type { RunControls, RunOutcome } from '../../run/run-test.js';
import type { SeriesDeps, SeriesSpec } from '../series.js';

/** What one fake run does: end with a verdict, be interrupted, or throw. */
export type FakeStep = Validity | 'aborted' | 'crash' | 'user-error' | 'interrupt-setup';

export interface FakeRunner {
  run: SeriesDeps['run'];
  /** The options of each call, in order. */
  calls: TestOptions[];
}

/** A runner that plays `steps` in order (the last one again once they run out). */
export function fakeRunner(steps: FakeStep[]): FakeRunner {
  const calls: TestOptions[] = [];
  const run = async (_config: unknown, options: TestOptions, controls: RunControls): Promise<RunOutcome> => {
    const step = steps[Math.min(calls.length, steps.length - 1)]!;
    calls.push(options);
    const runDir = await createRunDir(options.resultsDir, {
      name: options.name,
      target: options.target,
      workload: options.workload,
      nemesis: options.nemesis,
      runtime: 'fake',
      nodes: [],
      concurrency: options.concurrency,
      timeLimitSeconds: options.timeLimitSeconds,
      seed: options.seed,
      // Distinct folders even when calls come within the same millisecond.
      startedAt: new Date(Date.now() + calls.length).toISOString(),
      options: {},
    });
    controls.onStart?.({ runDir, runtime: 'fake', cluster: 'fake-cluster' });
    if (step === 'crash') throw new Error('etcd cluster not ready after 60000 ms');
    if (step === 'user-error') throw new UserError('cluster fake is in use by a running faultline');
    if (step === 'interrupt-setup') throw new InterruptedError('interrupted while setting up the cluster');
    const valid = step === 'aborted' ? true : step;
    return { runDir, results: fakeResults(valid), aborted: step === 'aborted' };
  };
  return { run, calls };
}

function fakeResults(valid: Validity): RunResults {
  const error =
    valid === false ? 'lost 2 acknowledged writes' : valid === 'unknown' ? 'the search ran out of time' : undefined;
  const checker = { kind: 'fake', valid, ...(error && { error }) } as unknown as CheckResult;
  return { valid, checker, stats: { ops: 10, counts: {}, durationSeconds: 1 }, faults: [], warnings: [] };
}

/** A series of `count` runs of a test named `name`, stored under `resultsDir`. */
export function fakeSpec(name: string, resultsDir: string, count = 1, keepGoing = false): SeriesSpec {
  const config = defaultConfig();
  const options = { ...resolveTestOptions(config), name, resultsDir, seed: 1000 };
  return { label: name, config, options, count, keepGoing };
}
