/**
 * `faultline test`: a whole run against a real cluster (see harness/run/run-test.ts),
 * or with --test-count N, N runs (harness/suite/series.ts).
 * Prints the verdict, the anomaly in a few words and the results folder of
 * each run, and a summary table after several (harness/cli/run-series.ts).
 * Exit code: 0 valid, 1 invalid, 2 unknown, 254 bad flags or config, 255 crash;
 * 130 when interrupted with Ctrl-C (after healing and tearing down); for
 * several runs, see harness/suite/aggregate.ts.
 */

import type { Options } from 'yargs';
import { validateModels } from '../../../checkers/txn/plan.js';
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
import { givenTargetFlags, targetFlagOptions, undeclaredFlags } from '../target-flags.js';

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
  consistencyModels?: string;
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

/** The command's own options (the targets' option flags come from target-flags.ts; the series' from run-series.ts). */
const TEST_OPTIONS = {
  config: { describe: 'config file (default: faultline.config.yaml, .yml or .json here)', type: 'string' },
  target: {
    describe:
      'system under test: a built-in name (etcd, process), a module path (./targets/mydb.ts) or a package (default etcd)',
    type: 'string',
  },
  workload: {
    describe:
      'register, cas-register, set, list-append, rw-register, bank, session, noop, a module path or a package ' +
      '(default register)',
    type: 'string',
  },
  nemesis: {
    describe: 'faults, comma-separated: partition,packet,kill,pause,clock,delay,membership (default none)',
    type: 'string',
  },
  'nemesis-interval': {
    describe: 'mean seconds between fault operations (default 10)',
    type: 'string',
    number: true,
  },
  'time-limit': { describe: 'seconds of workload (default 60)', type: 'string', number: true },
  concurrency: {
    describe: 'client workers: a number, or a multiple of the node count like 3n (default 10)',
    type: 'string',
  },
  nodes: { describe: 'node count (netns, docker; default 5) or comma-separated hosts (ssh)', type: 'string' },
  'nodes-file': { describe: 'the nodes (hosts with ssh), one per line', type: 'string' },
  seed: {
    describe: 'random seed (the same seed gives the same schedule; default: a random one)',
    type: 'string',
    number: true,
  },
  rate: { describe: 'client ops per second in total (0: as fast as possible)', type: 'string', number: true },
  runtime: { describe: 'where nodes live (default netns)', choices: ['netns', 'docker', 'ssh'] },
  cluster: { describe: 'cluster name, the prefix of namespaces / containers (default faultline)', type: 'string' },
  subnet: { describe: 'IPv4 subnet for the nodes, netns and docker (default 10.213.0.0/24)', type: 'string' },
  'ssh-user': { describe: 'ssh user (ssh runtime)', type: 'string', alias: 'username' },
  'ssh-key': { describe: 'ssh private key file (ssh runtime)', type: 'string', alias: 'ssh-private-key' },
  name: { describe: 'test name: results/<name>/... (default <target>-<workload>)', type: 'string' },
  'results-dir': { describe: 'where runs are stored (default results)', type: 'string' },
  'op-timeout': {
    describe: 'seconds before a client op is recorded as info, indeterminate (default 5)',
    type: 'string',
    number: true,
  },
  'recovery-time': {
    describe: 'seconds to let the cluster recover after healing, before final reads (default 10)',
    type: 'string',
    number: true,
  },
  'check-timeout': {
    describe: 'seconds the checker may search before answering unknown (default 300)',
    type: 'string',
    number: true,
  },
  'consistency-models': {
    describe:
      'transactional workloads: models to check, comma-separated (default: what the target promises, ' +
      'e.g. from its --isolation)',
    type: 'string',
  },
  verbose: { describe: 'debug log lines', type: 'boolean', default: false },
} satisfies Record<string, Options>;

/** Every flag test declares, with aliases: what is left of the arguments is a plugin target's (undeclaredFlags). */
const DECLARED_FLAGS = [
  ...Object.keys(TEST_OPTIONS),
  ...Object.keys(seriesFlagOptions(true)),
  'username',
  'ssh-private-key',
  'help',
  'version',
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
      .group(['check-timeout', 'consistency-models'], 'Checking:')
      .group(['results-dir', 'keep', 'junit'], RESULTS_GROUP)
      .options(TEST_OPTIONS)
      .options(seriesFlagOptions(true))
      .options(targetFlagOptions())
      .example('$0 test --nemesis partition,kill --time-limit 30', 'etcd on 5 local nodes under partitions and kills')
      .example('$0 test --test-count 10 --concurrency 2n --junit results/junit.xml', 'ten runs, a JUnit file for CI')
      .example('$0 test --target ./targets/mydb.ts --workload cas-register --nemesis kill', 'your own target')
      .example('$0 test --config faultline.config.yaml', 'a process target (any language) from the config')
      // A plugin target's option flags are known only once it loads: its schema judges them (undeclaredFlags).
      .strict(false),
  handler: async (args) => {
    const argv = args as TestArgs;
    const extra = (args._ as unknown[]).slice(1);
    if (extra.length > 0)
      throw new UserError(`unexpected argument ${JSON.stringify(String(extra[0]))} (test takes only options)`);
    const log = consoleLogger(argv.verbose ? 'debug' : 'info');
    const series = readSeriesFlags(args);
    const { config, options } = await prepareTest(argv, process.cwd());
    const { validateRun } = await import('../../run/run-test.js');
    await validateRun(config, options); // bad options fail before the first run
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
  const given = argv as unknown as Record<string, unknown>;
  options.targetFlags = {
    ...givenTargetFlags(given),
    // A plugin target's flags: its schema judges them (yargs is not strict for test).
    ...undeclaredFlags(given, [...DECLARED_FLAGS, ...Object.keys(targetFlagOptions())]),
  };
  if (argv.consistencyModels !== undefined) {
    const models = String(argv.consistencyModels)
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m !== '');
    if (models.length === 0)
      throw new UserError('expected model names, comma-separated', { where: '--consistency-models' });
    validateModels(models);
    options.workloadOptions = { ...options.workloadOptions, consistencyModels: models };
  }
  return { config, options };
}
