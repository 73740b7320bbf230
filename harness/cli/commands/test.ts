/**
 * `faultline test`: a whole run against a real cluster (see harness/run/run-test.ts).
 * Prints the verdict, the anomaly in a few words and the results folder.
 * Exit code: 0 valid, 1 invalid, 2 unknown, 254 bad flags or config, 255 crash;
 * 130 when interrupted with Ctrl-C (after healing and tearing down).
 */

import { validateModels } from '../../../checkers/txn/plan.js';
import { type ConfigFlags, loadConfig, mergeFlags } from '../../config/load.js';
import type { FaultlineConfig } from '../../config/schema.js';
import { EXIT, UserError } from '../../errors.js';
import { consoleLogger } from '../../log.js';
import { resolveTestOptions, type TestOptions } from '../../run/options.js';
import { describeAnomaly, verdictWord } from '../../run/summary.js';
import { terminalSafe } from '../../terminal-text.js';
import type { FaultlineCommand } from '../command.js';
import { positiveOption } from '../options.js';
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
  consistencyModels?: string;
  verbose?: boolean;
}

export const testCommand: FaultlineCommand = (setExit) => ({
  command: 'test',
  describe: 'Run a workload against a real cluster under faults, then check the history',
  builder: (yargs) =>
    yargs
      .option('config', { describe: 'config file (default: faultline.config.yaml or .json here)', type: 'string' })
      .option('target', { describe: 'system under test', type: 'string' })
      .option('workload', { describe: 'register, cas-register or set', type: 'string' })
      .option('nemesis', {
        describe: 'faults, comma-separated: partition,packet,kill,pause,clock,delay (or none)',
        type: 'string',
      })
      .option('nemesis-interval', { describe: 'mean seconds between fault operations', type: 'string' })
      .option('time-limit', { describe: 'seconds of workload', type: 'string' })
      .option('concurrency', { describe: 'client workers', type: 'string' })
      .option('nodes', { describe: 'node count (netns, docker) or comma-separated hosts (ssh)', type: 'string' })
      .option('seed', { describe: 'random seed (the same seed gives the same schedule)', type: 'string' })
      .option('rate', { describe: 'client ops per second in total (0: as fast as possible)', type: 'string' })
      .option('runtime', { describe: 'where nodes live', choices: ['netns', 'docker', 'ssh'] })
      .option('cluster', { describe: 'cluster name (prefix of namespaces / containers)', type: 'string' })
      .option('subnet', { describe: 'IPv4 subnet for the nodes (netns, docker)', type: 'string' })
      .option('ssh-user', { describe: 'ssh user (ssh runtime)', type: 'string' })
      .option('ssh-key', { describe: 'ssh private key file (ssh runtime)', type: 'string' })
      .option('name', { describe: 'test name (results/<name>/...)', type: 'string' })
      .option('results-dir', { describe: 'where runs are stored', type: 'string' })
      .option('op-timeout', {
        describe: 'seconds before a client op is recorded as info (indeterminate)',
        type: 'string',
      })
      .option('recovery-time', {
        describe: 'seconds to let the cluster recover after healing, before final reads',
        type: 'string',
      })
      .option('check-timeout', { describe: 'seconds the checker may search before answering unknown', type: 'string' })
      .option('consistency-models', {
        describe:
          'transactional workloads: models to check, comma-separated (default: what the target promises, ' +
          'e.g. from its --isolation)',
        type: 'string',
      })
      .option('verbose', { describe: 'debug log lines', type: 'boolean', default: false })
      .options(targetFlagOptions()),
  handler: async (args) => {
    const argv = args as TestArgs;
    const log = consoleLogger(argv.verbose ? 'debug' : 'info');
    const { config, options } = await prepareTest(argv, process.cwd());

    // Loaded on demand: the run stack (runtimes, targets, dockerode) is not needed by other commands.
    const { runTest } = await import('../../run/run-test.js');
    const outcome = await runTest(config, options, log);
    const { results } = outcome;
    const anomaly = describeAnomaly(results.checker);
    // The anomaly and warnings quote values from the history: made safe for the terminal.
    const print = (text: string) => process.stdout.write(terminalSafe(text));
    print(`\n${verdictWord(results.valid)}  ${options.name} (seed ${options.seed})\n`);
    if (anomaly) print(`  ${anomaly}\n`);
    for (const warning of results.warnings) print(`  warning: ${warning}\n`);
    print(`  results: ${outcome.runDir}\n  report:  ${outcome.runDir}/report.html\n`);
    if (outcome.aborted) {
      print('  (interrupted: the history is partial)\n');
      setExit(EXIT.interrupted);
      return;
    }
    setExit(results.valid === true ? EXIT.valid : results.valid === false ? EXIT.invalid : EXIT.unknown);
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
  const flags: ConfigFlags = {
    runtime: argv.runtime,
    nodes: argv.nodes,
    cluster: argv.cluster,
    subnet: argv.subnet,
    sshUser: argv.sshUser,
    sshKey: argv.sshKey,
    name: argv.name,
    target: argv.target,
    workload: argv.workload,
    nemesis: argv.nemesis,
    concurrency: numeric(argv.concurrency, '--concurrency'),
    timeLimit: numeric(argv.timeLimit, '--time-limit'),
    seed: numeric(argv.seed, '--seed'),
    rate: numeric(argv.rate, '--rate'),
    nemesisInterval: numeric(argv.nemesisInterval, '--nemesis-interval'),
    resultsDir: argv.resultsDir,
  };
  const config = mergeFlags(await loadConfig(argv.config, cwd), flags);
  const options = resolveTestOptions(config, {
    opTimeoutMs: positiveOption(argv.opTimeout, '--op-timeout', 'seconds', 1000),
    recoverySeconds: positiveOption(argv.recoveryTime, '--recovery-time', 'seconds', 1),
    checkTimeoutSeconds: positiveOption(argv.checkTimeout, '--check-timeout', 'seconds', 1),
  });
  options.targetFlags = givenTargetFlags(argv as unknown as Record<string, unknown>);
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
