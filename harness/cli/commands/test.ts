/**
 * `faultline test`: a whole run against a real cluster (see harness/run/run-test.ts),
 * or with --test-count N, N runs (harness/suite/series.ts).
 * Prints the verdict, the anomaly in a few words and the results folder of
 * each run, and a summary table after several (harness/cli/run-series.ts).
 * Exit code: 0 valid, 1 invalid, 2 unknown, 254 bad flags or config, 255 crash;
 * 130 when interrupted with Ctrl-C (after healing and tearing down); for
 * several runs, see harness/suite/aggregate.ts.
 */

import { type ConfigFlags, loadConfig, mergeFlags } from '../../config/load.js';
import type { FaultlineConfig } from '../../config/schema.js';
import { UserError } from '../../errors.js';
import { consoleLogger } from '../../log.js';
import { resolveConcurrency } from '../../run/concurrency.js';
import { plannedNodeCount, resolveTestOptions, type TestOptions } from '../../run/options.js';
import type { FaultlineCommand } from '../command.js';
import { readNodesFile } from '../nodes-file.js';
import { positiveOption } from '../options.js';
import { RESULTS_GROUP, readSeriesFlags, runAndReport, seriesFlagOptions } from '../run-series.js';
import { givenTargetFlags, targetFlagOptions } from '../target-flags.js';

/**
 * Numeric flags arrive as text so that a bad value is reported as typed
 * (`--concurrency: expected a whole number, got "abc"`); the config's
 * validation (mergeFlags) judges the result. A whole number too large to be
 * kept exactly (--seed 9007199254740993 would become ...992) is refused here,
 * as typed. Throws UserError naming the flag for that.
 */
function numeric(value: string | undefined, flag: string): number | string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = Number(text);
  if (/^[+-]?\d+$/.test(text) && !Number.isSafeInteger(n)) {
    throw new UserError(
      `expected a whole number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}, got ${text} ` +
        '(it cannot be kept exactly)',
      { where: flag },
    );
  }
  return text !== '' && Number.isFinite(n) ? n : value;
}

export interface TestArgs extends Omit<ConfigFlags, 'concurrency' | 'timeLimit' | 'seed' | 'rate' | 'nemesisInterval'> {
  concurrency?: string;
  timeLimit?: string;
  seed?: string;
  rate?: string;
  nemesisInterval?: string;
  config?: string;
  opTimeout?: string;
  recoveryTime?: string;
  checkTimeout?: string;
  nodesFile?: string;
  verbose?: boolean;
}

const RUN_KEYS = [
  'config',
  'target',
  'workload',
  'time-limit',
  'concurrency',
  'rate',
  'seed',
  'name',
  'op-timeout',
  'recovery-time',
  'test-count',
  'keep-going',
  'verbose',
];

export const testCommand: FaultlineCommand = (setExit) => ({
  command: 'test',
  describe: 'Run a workload against a real cluster under faults, then check the history',
  builder: (yargs) =>
    yargs
      // Groups first: help lists them in this order, each key as listed.
      .group(RUN_KEYS, 'Run:')
      .group(
        ['runtime', 'nodes', 'nodes-file', 'cluster', 'subnet', 'ssh-user', 'ssh-key', 'leave-db-running'],
        'Cluster:',
      )
      .group(['nemesis', 'nemesis-interval'], 'Faults:')
      .group(['check-timeout'], 'Checking:')
      .group(['results-dir', 'keep', 'junit'], RESULTS_GROUP)
      .option('config', { describe: 'config file (default: faultline.config.yaml or .json here)', type: 'string' })
      .option('target', { describe: 'system under test (default etcd)', type: 'string' })
      .option('workload', { describe: 'register, cas-register or set (default register)', type: 'string' })
      .option('nemesis', {
        describe: 'faults, comma-separated: partition,packet,kill,pause,clock,delay (or none)',
        type: 'string',
      })
      .option('nemesis-interval', {
        describe: 'mean seconds between fault operations (default 10)',
        type: 'string',
        number: true,
      })
      .option('time-limit', { describe: 'seconds of workload (default 60)', type: 'string', number: true })
      .option('concurrency', {
        describe: 'client workers: a number, or a multiple of the node count like 3n (default 10)',
        type: 'string',
      })
      .option('nodes', {
        describe: 'node count (netns, docker; default 5) or comma-separated hosts (ssh)',
        type: 'string',
      })
      .option('nodes-file', { describe: 'the nodes (hosts with ssh), one per line', type: 'string' })
      .option('seed', {
        describe: 'random seed (the same seed gives the same schedule; default: a random one)',
        type: 'string',
        number: true,
      })
      .option('rate', {
        describe: 'client ops per second in total (0: as fast as possible)',
        type: 'string',
        number: true,
      })
      .option('runtime', { describe: 'where nodes live', choices: ['netns', 'docker', 'ssh'] })
      .option('cluster', { describe: 'cluster name (prefix of namespaces / containers)', type: 'string' })
      .option('subnet', { describe: 'IPv4 subnet for the nodes (netns, docker)', type: 'string' })
      .option('ssh-user', { describe: 'ssh user (ssh runtime)', type: 'string', alias: 'username' })
      .option('ssh-key', { describe: 'ssh private key file (ssh runtime)', type: 'string', alias: 'ssh-private-key' })
      .option('name', { describe: 'test name (results/<name>/...)', type: 'string' })
      .option('results-dir', { describe: 'where runs are stored', type: 'string' })
      .option('op-timeout', {
        describe: 'seconds before a client op is recorded as info (indeterminate) (default 5)',
        type: 'string',
        number: true,
      })
      .option('recovery-time', {
        describe: 'seconds to let the cluster recover after healing, before final reads (default 10)',
        type: 'string',
        number: true,
      })
      .option('check-timeout', {
        describe: 'seconds the checker may search before answering unknown (default 300)',
        type: 'string',
        number: true,
      })
      .option('verbose', { describe: 'debug log lines', type: 'boolean', default: false })
      .options(seriesFlagOptions(true))
      .options(targetFlagOptions())
      .example('$0 test --nemesis partition,kill --time-limit 30', 'etcd on 5 local nodes under partitions and kills')
      .example('$0 test --test-count 10 --concurrency 2n --junit results/junit.xml', 'ten runs, a JUnit file for CI'),
  handler: async (args) => {
    const argv = args as TestArgs;
    const log = consoleLogger(argv.verbose ? 'debug' : 'info');
    const series = readSeriesFlags(args);
    const { config, options } = await prepareTest(argv, process.cwd());
    const { validateRun } = await import('../../run/run-test.js');
    validateRun(config, options); // bad options fail before the first run
    const spec = { label: options.name, config, options, count: series.testCount ?? 1, keepGoing: series.keepGoing };
    setExit(await runAndReport([spec], series, { title: options.name, log }));
  },
});

/**
 * The argument handling of `faultline test`: the config file (or `cwd`'s),
 * the flags over it, and the options of the run. Creates nothing.
 * Throws UserError naming the flag or the config key for any bad value.
 */
export async function prepareTest(
  argv: TestArgs,
  cwd: string,
): Promise<{ config: FaultlineConfig; options: TestOptions }> {
  if (argv.nodesFile !== undefined && argv.nodes !== undefined) {
    throw new UserError('give the nodes with --nodes or with --nodes-file, not both', { where: '--nodes-file' });
  }
  const flags: ConfigFlags = {
    runtime: argv.runtime,
    nodes: argv.nodesFile !== undefined ? await readNodesFile(argv.nodesFile) : argv.nodes,
    cluster: argv.cluster,
    subnet: argv.subnet,
    sshUser: argv.sshUser,
    sshKey: argv.sshKey,
    name: argv.name,
    target: argv.target,
    workload: argv.workload,
    nemesis: argv.nemesis,
    timeLimit: numeric(argv.timeLimit, '--time-limit'),
    seed: numeric(argv.seed, '--seed'),
    rate: numeric(argv.rate, '--rate'),
    nemesisInterval: numeric(argv.nemesisInterval, '--nemesis-interval'),
    resultsDir: argv.resultsDir,
  };
  let config = mergeFlags(await loadConfig(argv.config, cwd), flags);
  if (argv.concurrency !== undefined) {
    // "3n" needs the node count, known once the other flags are merged.
    const concurrency = numeric(argv.concurrency, '--concurrency');
    config = mergeFlags(config, {
      concurrency: resolveConcurrency(concurrency, plannedNodeCount(config), '--concurrency'),
    });
  }
  const options = resolveTestOptions(config, {
    opTimeoutMs: positiveOption(argv.opTimeout, '--op-timeout', 'seconds', 1000),
    recoverySeconds: positiveOption(argv.recoveryTime, '--recovery-time', 'seconds', 1),
    checkTimeoutSeconds: positiveOption(argv.checkTimeout, '--check-timeout', 'seconds', 1),
  });
  options.targetFlags = givenTargetFlags(argv as unknown as Record<string, unknown>);
  return { config, options };
}
