/**
 * `faultline analyze RUN_DIR`: re-checks a stored run with the checker of its
 * workload (e.g. after a checker fix, or with a longer budget), rewriting
 * results.json and report.html. Exit codes as for `faultline check`.
 */
import { join } from 'node:path';
import { defaultConfig } from '../../config/load.js';
import { EXIT, UserError } from '../../errors.js';
import { readHistoryFile } from '../../history/read.js';
import { consoleLogger } from '../../log.js';
import { RUN_FILES, readStoredWarnings, readTestRecord, writeResults } from '../../results/store.js';
import { resolveTestOptions, type TestOptions } from '../../run/options.js';
import { describeAnomaly, verdictWord } from '../../run/summary.js';
import { terminalSafe } from '../../terminal-text.js';
import type { FaultlineCommand } from '../command.js';
import { positiveOption } from '../options.js';

export const analyzeCommand: FaultlineCommand = (setExit) => ({
  command: 'analyze <run>',
  describe: 'Re-check a stored run (a results/<name>/<time> folder, or results/latest)',
  builder: (yargs) =>
    yargs
      .positional('run', { describe: 'run folder', type: 'string', demandOption: true })
      .option('check-timeout', { describe: 'seconds the checker may search before answering unknown', type: 'string' }),
  handler: async (args) => {
    const runDir = String(args.run);
    const log = consoleLogger();
    const record = await readTestRecord(runDir);
    const stored = record.options as unknown as Partial<TestOptions>;
    if (typeof stored?.workload !== 'string' || typeof stored.target !== 'string') {
      throw new UserError('test.json has no target / workload options', { where: join(runDir, RUN_FILES.test) });
    }
    // Defaults first: a run stored by an older faultline may lack newer options.
    const options: TestOptions = { ...resolveTestOptions(defaultConfig()), ...stored, nemesis: record.nemesis };
    const timeout = positiveOption(args.checkTimeout as string | undefined, '--check-timeout', 'seconds', 1);
    if (timeout !== undefined) options.checkTimeoutSeconds = timeout;

    const { checkRun, planRun, writeReportSafely } = await import('../../run/run-test.js');
    const plan = planRun(options);
    const { history, warnings } = await readHistoryFile(join(runDir, RUN_FILES.history), { format: 'jsonl' });
    // e.g. a last line cut off when the controller was killed: the rest is still checked.
    for (const warning of warnings) process.stderr.write(`faultline: warning: ${terminalSafe(warning)}\n`);
    const results = await checkRun(plan, history, options, log, await readStoredWarnings(runDir));
    await writeResults(runDir, results);
    await writeReportSafely(runDir, { test: record, history, results }, log);

    // The anomaly quotes values from the history: made safe for the terminal.
    const print = (text: string) => process.stdout.write(terminalSafe(text));
    print(`${verdictWord(results.valid)}  ${record.name} (${history.length} history entries)\n`);
    const anomaly = describeAnomaly(results.checker);
    if (anomaly) print(`  ${anomaly}\n`);
    print(`  report: ${join(runDir, RUN_FILES.report)}\n`);
    setExit(results.valid === true ? EXIT.valid : results.valid === false ? EXIT.invalid : EXIT.unknown);
  },
});
