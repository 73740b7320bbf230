/**
 * `faultline suite FILE`: runs a matrix of tests (targets x workloads x
 * fault combinations x option sets) from a YAML or JSON file
 * (harness/suite/schema.ts), one run after another, then prints a summary
 * table. Each run prints what `faultline test` prints.
 *
 * Exit code: 0 every run valid; 1 any invalid; 255 any crashed (none
 * invalid); 2 any unknown (none invalid or crashed); 254 a bad suite file or
 * flag (nothing runs), or a config that does not work on this host (the
 * rest does not run); 130 interrupted (harness/suite/aggregate.ts).
 */
import { consoleLogger } from '../../log.js';
import type { FaultlineCommand } from '../command.js';
import { RESULTS_GROUP, readSeriesFlags, runAndReport, seriesFlagOptions } from '../run-series.js';

export const suiteCommand: FaultlineCommand = (setExit) => ({
  command: 'suite <file>',
  describe: 'Run a matrix of tests (targets x workloads x nemeses x options) from a YAML file',
  builder: (yargs) =>
    yargs
      .group(['verbose', 'test-count', 'keep-going'], 'Run:')
      .positional('file', { describe: 'the suite file (YAML or JSON)', type: 'string', demandOption: true })
      .option('cluster', { describe: 'cluster name, over the file’s', type: 'string', group: 'Cluster:' })
      .option('subnet', { describe: 'IPv4 subnet for the nodes, over the file’s', type: 'string', group: 'Cluster:' })
      .option('results-dir', {
        describe: 'where runs are stored, over the file’s',
        type: 'string',
        group: RESULTS_GROUP,
      })
      .option('verbose', { describe: 'debug log lines', type: 'boolean', default: false, group: 'Run:' })
      .options(seriesFlagOptions(true))
      .example('$0 suite ci/suite.yaml --junit results/junit.xml --keep failed', 'run a suite from CI'),
  handler: async (args) => {
    const log = consoleLogger(args.verbose ? 'debug' : 'info');
    const flags = readSeriesFlags(args);
    const { loadSuite } = await import('../../suite/load.js');
    const suite = await loadSuite(String(args.file), process.cwd(), {
      cluster: args.cluster as string | undefined,
      subnet: args.subnet as string | undefined,
      resultsDir: args.resultsDir as string | undefined,
      testCount: flags.testCount,
      keepGoing: args.keepGoing === true ? true : undefined,
    });
    const runs = suite.specs.reduce((n, s) => n + s.count, 0);
    log.info(`suite ${suite.name}: ${suite.specs.length} tests, ${runs} runs`);
    setExit(await runAndReport(suite.specs, flags, { title: suite.name, log, alwaysSummarize: true }));
  },
});
