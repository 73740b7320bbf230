/**
 * `faultline repro RUN_DIR`: runs a stored test again with the config and
 * seed its test.json recorded (the same target, workload, faults, options
 * and schedule), into a new results folder. The cluster may be moved
 * (--cluster, --subnet, or the runtime of a --config file: a CI run replayed
 * on your own machines). Exit codes as for `faultline test`.
 */
import { join } from 'node:path';
import { configFromSections, defaultConfig, loadConfig, mergeFlags } from '../../config/load.js';
import { configSchema, type FaultlineConfig } from '../../config/schema.js';
import { parseSchema, SchemaError } from '../../config/zod.js';
import { UserError } from '../../errors.js';
import { consoleLogger } from '../../log.js';
import { RUN_FILES, readTestRecord } from '../../results/store.js';
import { resolveTestOptions, type TestOptions } from '../../run/options.js';
import type { FaultlineCommand } from '../command.js';
import { RESULTS_GROUP, readSeriesFlags, runAndReport, seriesFlagOptions } from '../run-series.js';

export const reproCommand: FaultlineCommand = (setExit) => ({
  command: 'repro <run>',
  describe: 'Run a stored test again with its recorded config and seed',
  builder: (yargs) =>
    yargs
      .group(['verbose'], 'Run:')
      .positional('run', { describe: 'run folder (results/<name>/<time>, or results/latest)', type: 'string' })
      .option('config', {
        describe: 'take the runtime (where the nodes are) from this config file instead',
        type: 'string',
        group: 'Cluster:',
      })
      .option('cluster', { describe: 'cluster name, over the recorded one', type: 'string', group: 'Cluster:' })
      .option('subnet', { describe: 'IPv4 subnet, over the recorded one', type: 'string', group: 'Cluster:' })
      .option('results-dir', {
        describe: 'where the new run is stored (default: as recorded)',
        type: 'string',
        group: RESULTS_GROUP,
      })
      .option('verbose', { describe: 'debug log lines', type: 'boolean', default: false, group: 'Run:' })
      .options(seriesFlagOptions(false))
      .example('$0 repro results/latest', 'run the latest test again, same seed'),
  handler: async (args) => {
    const runDir = String(args.run);
    const log = consoleLogger(args.verbose ? 'debug' : 'info');
    const flags = readSeriesFlags(args);
    const { config, options } = await reproOf(runDir, {
      config: args.config as string | undefined,
      cluster: args.cluster as string | undefined,
      subnet: args.subnet as string | undefined,
      resultsDir: args.resultsDir as string | undefined,
    });
    const { validateRun } = await import('../../run/run-test.js');
    validateRun(config, options);
    log.info(`repro of ${runDir}: ${options.name}, seed ${options.seed}`);
    const spec = { label: options.name, config, options, count: 1, keepGoing: false };
    setExit(await runAndReport([spec], flags, { title: options.name, log }));
  },
});

export interface ReproOverrides {
  config?: string | undefined;
  cluster?: string | undefined;
  subnet?: string | undefined;
  resultsDir?: string | undefined;
}

/**
 * The config and test options recorded in `runDir`/test.json, with the
 * overrides applied. Throws UserError naming test.json (and the key) when
 * it is not a run folder, lacks the options, or records a runtime that no
 * longer validates; or when the recorded runtime held a secret (an ssh
 * passphrase is never written down: give the runtime with --config).
 */
export async function reproOf(
  runDir: string,
  overrides: ReproOverrides = {},
): Promise<{ config: FaultlineConfig; options: TestOptions }> {
  const where = join(runDir, RUN_FILES.test);
  const record = await readTestRecord(runDir);
  const { runtime, ...stored } = (record.options ?? {}) as Record<string, unknown>;
  if (typeof stored.target !== 'string' || typeof stored.workload !== 'string') {
    throw new UserError('records no target / workload options (not a run of faultline test?)', { where });
  }
  let config: FaultlineConfig;
  if (overrides.config !== undefined) config = await loadConfig(overrides.config, process.cwd());
  else {
    if (JSON.stringify(runtime ?? null).includes('"(redacted)"')) {
      throw new UserError(
        'the run used a secret (an ssh key passphrase), which is never recorded; give the runtime with --config FILE',
        { where },
      );
    }
    try {
      const parsed = parseSchema(configSchema.shape.runtime, runtime ?? 'netns', ['options', 'runtime']);
      config = configFromSections({ runtime: parsed }, where, process.cwd());
    } catch (err) {
      if (err instanceof SchemaError) throw new UserError(err.message, { where, cause: err });
      throw err;
    }
  }
  config = mergeFlags(config, { cluster: overrides.cluster, subnet: overrides.subnet });
  // Defaults first: a run stored by an older faultline may lack newer options.
  const options: TestOptions = {
    ...resolveTestOptions(defaultConfig()),
    ...(stored as Partial<TestOptions>),
    nemesis: record.nemesis,
    seed: record.seed,
    ...(overrides.resultsDir !== undefined && { resultsDir: overrides.resultsDir }),
  };
  return { config, options };
}
