/**
 * `runTest(options)`: the programmatic form of `faultline test`, for the
 * package's users (exported from the package root). It takes what the
 * command line takes, as one typed object, runs the same lifecycle
 * (./run-test.ts) and resolves with the typed results.
 */
import type { AnyTarget } from '../../targets/target.js';
import type { Workload } from '../../workloads/workload.js';
import { type ConfigFlags, defaultConfig, loadConfig, mergeFlags } from '../config/load.js';
import { UserError } from '../errors.js';
import type { Json } from '../history/op.js';
import { consoleLogger, type Logger, silentLogger } from '../log.js';
import type { RunOutcome } from '../results/results.js';
import { resolveTestOptions } from './options.js';
import { runTest as runLifecycle } from './run-test.js';

/** The options of a run; each one is the flag of `faultline test` of the same name (defaults as there). */
export interface RunTestOptions {
  /** A built-in name (etcd, process), a module path, a package name, or a Target itself. Default etcd. */
  target?: string | AnyTarget;
  /** A built-in name (register, cas-register, set, noop), a module path, a package name, or a Workload. Default register. */
  workload?: string | Workload;
  /** Fault names, e.g. ['partition', 'kill']. Default none. */
  nemesis?: string[];
  /** Mean seconds between fault operations. Default 10. */
  nemesisIntervalSeconds?: number;
  /** Seconds of workload. Default 60. */
  timeLimitSeconds?: number;
  /** Client workers. Default 10. */
  concurrency?: number;
  /** The same seed gives the same schedule. Default random. */
  seed?: number;
  /** Client ops per second in total; 0 is as fast as they go. Default 0. */
  rate?: number;
  /** The test's name (results/<name>/...). Default `<target>-<workload>`. */
  name?: string;
  /** Where runs are stored. Default results (relative to the working directory). */
  resultsDir?: string;
  /** The target's options (test.targetOptions): judged by the target's schema. */
  targetOptions?: Record<string, Json>;
  /** test.workloadOptions, e.g. { keys: 2, opsPerKey: 100 }. */
  workloadOptions?: Record<string, Json>;
  /** test.nemesisOptions, by fault name. */
  nemesisOptions?: Record<string, Json>;
  /** A client op still running after this many ms is recorded as info. Default 5000. */
  opTimeoutMs?: number;
  /** Seconds the cluster gets to recover after healing. Default 10. */
  recoverySeconds?: number;
  /** Seconds the checker may search before answering unknown. Default 300. */
  checkTimeoutSeconds?: number;
  /** Where the nodes live. Default netns (needs root). */
  runtime?: 'netns' | 'docker' | 'ssh';
  /** Node count (netns, docker) or host names (ssh). Default 5. */
  nodes?: number | string[];
  /** The cluster's name: the prefix of its namespaces or containers. Default faultline. */
  cluster?: string;
  /** The nodes' IPv4 subnet (netns, docker). Default 10.213.0.0/24. */
  subnet?: string;
  /** A config file to start from, as --config; the options above override it. */
  config?: string;
  /** A Logger, or where log lines go: 'silent', or stderr at 'info' (the default) or 'debug'. */
  log?: Logger | 'silent' | 'info' | 'debug';
}

function loggerOf(log: RunTestOptions['log']): Logger {
  if (log === undefined || log === 'info' || log === 'debug') return consoleLogger(log ?? 'info');
  return log === 'silent' ? silentLogger : log;
}

/**
 * Runs a whole test: brings the nodes up, runs the workload under the
 * faults, heals, tears down, checks the history, and writes the results
 * folder (test.json, history.jsonl, results.json, report.html, the nodes'
 * logs). Resolves with the run folder, the typed results (`results.valid`:
 * true, false or 'unknown'; `results.checker`: the checker's result, a union
 * on `kind`) and whether SIGINT / SIGTERM cut it short.
 *
 * Rejects with a UserError for bad options (before any node is touched), an
 * InterruptedError when interrupted during set-up, and any other error when
 * the run itself failed (after healing and tearing down what it set up).
 *
 * @example
 * const { results, runDir } = await runTest({ target: 'etcd', workload: 'register', nemesis: ['partition'] });
 * if (results.valid !== true) console.log(`see ${runDir}/report.html`);
 */
export async function runTest(options: RunTestOptions = {}): Promise<RunOutcome> {
  const given = {
    target: typeof options.target === 'object' ? options.target : undefined,
    workload: typeof options.workload === 'object' ? options.workload : undefined,
  };
  const flags: ConfigFlags = {
    runtime: options.runtime,
    nodes: options.nodes,
    cluster: options.cluster,
    subnet: options.subnet,
    name: options.name,
    target: given.target?.name ?? (options.target as string | undefined),
    workload: given.workload?.name ?? (options.workload as string | undefined),
    nemesis: options.nemesis,
    concurrency: options.concurrency,
    timeLimit: options.timeLimitSeconds,
    seed: options.seed,
    rate: options.rate,
    nemesisInterval: options.nemesisIntervalSeconds,
    resultsDir: options.resultsDir,
  };
  const base = options.config === undefined ? defaultConfig() : await loadConfig(options.config, process.cwd());
  const config = mergeFlags(base, flags);
  for (const key of ['targetOptions', 'workloadOptions', 'nemesisOptions'] as const) {
    const value = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new UserError('expected an object', { where: key });
    config.test[key] = { ...config.test[key], ...value };
  }
  for (const key of ['opTimeoutMs', 'recoverySeconds', 'checkTimeoutSeconds'] as const) {
    const value = options[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0))
      throw new UserError(`expected a positive number, got ${JSON.stringify(value)}`, { where: key });
  }
  const testOptions = resolveTestOptions(config, {
    opTimeoutMs: options.opTimeoutMs,
    recoverySeconds: options.recoverySeconds,
    checkTimeoutSeconds: options.checkTimeoutSeconds,
  });
  return runLifecycle(config, testOptions, loggerOf(options.log), given);
}
