/**
 * `faultline check FILE... --model NAME`: checks histories made anywhere (our
 * JSONL, elle-cli's JSON arrays, Jepsen EDN, Jepsen history.txt or log):
 * for linearizability against a model of checkers/models/registry.ts, or
 * with a transactional checker (--model list-append, rw-register or bank,
 * see check-txn.ts, with Elle's options).
 *
 * Prints `FILE<TAB>true|false|unknown|error` per file (error: the file could
 * not be checked; the reason goes to stderr), then the explanation of each
 * checked file that is not true (or, with --json, a JSON array of the full
 * results). Warnings about a file (a dropped torn last line) go to stderr.
 * Exit code: 0 all valid, 1 any invalid, 2 any unknown and none invalid,
 * 254 bad arguments or input (this wins over 1 and 2: the other files are
 * still checked and printed), 255 internal error (an internal error while
 * checking one file also leaves the other files' verdicts printed).
 *
 * Everything printed is made safe for a terminal (harness/terminal-text.ts):
 * values and file names come from outside.
 *
 * Nil reads: in Jepsen histories (edn, jepsen-log) an ok read of nil matches
 * any value, as in Knossos; in JSONL null is a real value. --nil-reads-any-value
 * or --no-nil-reads-any-value overrides this for every file; without either,
 * a note on stderr (and `nilReadNote` in --json) says what a Jepsen history's
 * nil reads were taken to mean and how to change it.
 *
 * A file named `-` is standard input.
 */

import type { TaskPool } from '../../../checkers/checker.js';
import {
  checkLinearizable,
  explainLinearizable,
  getModel,
  type LinearizableResult,
} from '../../../checkers/linearizable/index.js';
import { modelNames } from '../../../checkers/models/registry.js';
import { createCheckPool } from '../../check-pool/pool.js';
import { EXIT, MalformedHistoryError, UserError } from '../../errors.js';
import type { Json } from '../../history/op.js';
import {
  HISTORY_FORMATS,
  type HistoryFormat,
  type LoadedHistory,
  readHistoryFile,
  STDIN_PATH,
} from '../../history/read.js';
import { writeCheckReport } from '../../report/write.js';
import { terminalSafe } from '../../terminal-text.js';
import type { FaultlineCommand } from '../command.js';
import { nilReadNote } from '../nil-read-note.js';
import { positiveOption } from '../options.js';
import { restoreStdinArgs } from '../stdin-arg.js';
import {
  explainTxn,
  givenTxnFlags,
  isTxnModel,
  TXN_MODELS,
  type TxnArgs,
  type TxnResult,
  txnChecker,
} from './check-txn.js';

export interface CheckArgs extends TxnArgs {
  files: string[];
  model: string;
  /** The --initial option as typed (JSON text). */
  initial?: string | undefined;
  format?: HistoryFormat | undefined;
  /** The --timeout option as typed (seconds). */
  timeout?: string | undefined;
  /** The --memory-limit option as typed (MB). */
  memoryLimit?: string | undefined;
  json?: boolean | undefined;
  /** Undefined: by format (true for edn and jepsen-log, false for jsonl). */
  nilReadsAnyValue?: boolean | undefined;
  /** Write the HTML report of the (single) checked file here. */
  report?: string | undefined;
}

/** Where the command writes; the CLI passes process.stdout / stderr, tests capture. */
export interface CheckOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The lines of the file where an op's invocation and completion are (completion undefined: never completed). */
export interface OpLines {
  invoke: number;
  complete: number | undefined;
}

/** One file's outcome: a checker result, or why the file could not be checked. */
export type FileOutcome =
  | {
      file: string;
      format: LoadedHistory['format'];
      /** History entries read (invocations and completions). */
      ops: number;
      /** Linearizability models only. */
      nilReadsAnyValue?: boolean;
      /** What the nil reads were taken to mean, when faultline chose it (see nil-read-note.ts). */
      nilReadNote?: string;
      result: LinearizableResult | TxnResult;
      /** For an invalid linearizability result: where its evidence is in the file. */
      lines?: { failedOp: OpLines; lastOkOp: OpLines | undefined };
    }
  | {
      file: string;
      error: string;
      /** True when faultline failed (a bug: exit 255), not the file. */
      internal?: true;
    };

export const checkCommand: FaultlineCommand = (setExit) => ({
  command: 'check <files..>',
  describe: 'Check histories (JSONL, JSON arrays, Jepsen EDN, history.txt or log): linearizability or transactions',
  builder: (yargs) =>
    yargs
      .positional('files', {
        describe: 'history files (- for standard input)',
        type: 'string',
        array: true,
        demandOption: true,
      })
      .option('model', {
        describe: 'a linearizability model (e.g. cas-register), or list-append, rw-register or bank',
        type: 'string',
        demandOption: true,
      })
      .option('initial', { describe: "the model's initial state, as JSON", type: 'string' })
      .option('format', { describe: 'the history format', choices: HISTORY_FORMATS, default: 'auto' })
      .option('timeout', { describe: 'give up with unknown after SECONDS per file', type: 'string' })
      .option('memory-limit', { describe: 'give up with unknown past MB of search memory', type: 'string' })
      .option('json', { describe: 'print the full results as JSON', type: 'boolean', default: false })
      .option('nil-reads-any-value', {
        describe: 'an ok read of null matches any value (default: on for edn and jepsen-log, off for jsonl)',
        type: 'boolean',
      })
      .option('report', { describe: 'write the HTML report of the (one) checked file to FILE', type: 'string' })
      .option('consistency-models', {
        describe: 'list-append, rw-register: the models to check, comma-separated (default strict-serializable)',
        type: 'string',
      })
      .option('anomalies', {
        describe: 'list-append, rw-register: anomaly types to look for besides, comma-separated (e.g. G0,G1c)',
        type: 'string',
      })
      .option('linearizable-keys', { describe: 'rw-register: assume each key linearizable', type: 'boolean' })
      .option('sequential-keys', { describe: 'rw-register: assume each key sequential', type: 'boolean' })
      .option('wfr-keys', { describe: 'rw-register: assume writes follow reads in a transaction', type: 'boolean' })
      .option('transaction-order', {
        describe: 'rw-register: a known transaction order as JSON, {"<history position>": rank, ...}',
        type: 'string',
      })
      .option('allow-negative-balances', { describe: 'bank: balances may go below zero', type: 'boolean' })
      .option('total-amount', { describe: 'bank: the total (default: the first read’s)', type: 'string' })
      .option('accounts', {
        describe: 'bank: the account ids, comma-separated (default: the first read’s)',
        type: 'string',
      }),
  handler: async (argv) => {
    const code = await runCheck(
      {
        files: restoreStdinArgs(argv.files as string[]),
        model: argv.model as string,
        initial: argv.initial as string | undefined,
        format: argv.format as HistoryFormat,
        timeout: argv.timeout as string | undefined,
        memoryLimit: argv['memory-limit'] as string | undefined,
        json: argv.json as boolean,
        nilReadsAnyValue: argv['nil-reads-any-value'] as boolean | undefined,
        report: argv.report as string | undefined,
        consistencyModels: argv['consistency-models'] as string | undefined,
        anomalies: argv.anomalies as string | undefined,
        linearizableKeys: argv['linearizable-keys'] as boolean | undefined,
        sequentialKeys: argv['sequential-keys'] as boolean | undefined,
        wfrKeys: argv['wfr-keys'] as boolean | undefined,
        transactionOrder: argv['transaction-order'] as string | undefined,
        allowNegativeBalances: argv['allow-negative-balances'] as boolean | undefined,
        totalAmount: argv['total-amount'] as string | undefined,
        accounts: argv.accounts as string | undefined,
      },
      { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
    );
    setExit(code);
  },
});

/**
 * Checks every file and prints the verdicts.
 * Returns the exit code (see the module comment). Throws UserError for bad
 * options (unknown model, bad --initial, --timeout or --memory-limit, an
 * empty --report or --report with several files) before reading any file,
 * and when the report cannot be written; any other error that escapes is internal.
 */
export async function runCheck(args: CheckArgs, rawOut: CheckOutput): Promise<number> {
  const out: CheckOutput = {
    stdout: (text) => rawOut.stdout(terminalSafe(text)),
    stderr: (text) => rawOut.stderr(terminalSafe(text)),
  };
  const initial = parseInitial(args.initial);
  const timeoutMs = positiveOption(args.timeout, '--timeout', 'seconds', 1000);
  const memoryLimitBytes = positiveOption(args.memoryLimit, '--memory-limit', 'MB', 2 ** 20);
  // Unknown model or bad options: fail before reading files.
  const txn = isTxnModel(args.model) ? txnCheckerFor(args) : undefined;
  if (!txn) linearizabilityModel(args, initial);
  if (args.files.length === 0) throw new UserError('name at least one history file');
  if (args.files.filter((f) => f === STDIN_PATH).length > 1) {
    throw new UserError('standard input (-) can be read only once; name it once');
  }
  if (args.report !== undefined && args.report.trim() === '') {
    throw new UserError('expected the file to write the report to, got ""', { where: '--report' });
  }
  if (args.report !== undefined && args.files.length !== 1) {
    throw new UserError(`makes the report of one history file, but ${args.files.length} were given`, {
      where: '--report',
    });
  }

  const outcomes: FileOutcome[] = [];
  // Text explanations of transactional results, made while each file's lines are at hand.
  const explanations = new Map<FileOutcome, string[]>();
  // Worker threads for files with several hard keys; started only when a check hands them work.
  const pool = createCheckPool();
  try {
    for (const file of args.files) {
      const budget = { initial, timeoutMs, memoryLimitBytes, pool, txn };
      const { outcome, loaded } = await checkFileIsolated(file, args, budget, out);
      outcomes.push(outcome);
      if ('result' in outcome && outcome.result.kind !== 'linearizable' && outcome.result.valid !== true && loaded) {
        explanations.set(outcome, explainTxn(outcome.result, loaded));
      }
      if (args.report !== undefined && 'result' in outcome && loaded) {
        // The windows a run would record for this history (loaded only for a report).
        const { historyFaultWindows } = await import('../../../nemesis/registry.js');
        const history = loaded.history;
        const faults = historyFaultWindows(history);
        await writeCheckReport(args.report, { file, model: args.model, history, result: outcome.result, faults });
        out.stderr(`faultline: report written to ${args.report}\n`);
      }
    }
  } finally {
    await pool.close();
  }

  if (args.json) out.stdout(`${JSON.stringify(outcomes, null, 2)}\n`);
  else printText(outcomes, out, explanations);
  return exitCode(outcomes);
}

/** The transactional checker for the options; throws UserError for linearizability-only options or bad ones. */
function txnCheckerFor(args: CheckArgs): ReturnType<typeof txnChecker> {
  for (const [flag, given] of [
    ['--initial', args.initial],
    ['--nil-reads-any-value', args.nilReadsAnyValue],
  ] as const) {
    if (given !== undefined) throw new UserError(`is for linearizability models, not ${args.model}`, { where: flag });
  }
  return txnChecker(args.model as (typeof TXN_MODELS)[number], args);
}

/** Checks a linearizability model and its options; throws UserError naming the option when wrong. */
function linearizabilityModel(args: CheckArgs, initial: Json | undefined): void {
  if (!modelNames().includes(args.model)) {
    throw new UserError(
      `unknown model ${JSON.stringify(args.model)}; known models: ${[...modelNames(), ...TXN_MODELS].join(', ')}`,
      { where: '--model' },
    );
  }
  const [flag] = givenTxnFlags(args);
  if (flag) throw new UserError(`is for --model ${TXN_MODELS.join(', ')}, not ${args.model}`, { where: flag });
  getModel(args.model, { initial });
}

type Budget = {
  initial: Json | undefined;
  timeoutMs: number | undefined;
  memoryLimitBytes: number | undefined;
  pool: TaskPool;
  txn: ReturnType<typeof txnChecker> | undefined;
};

/** checkFile, with an internal error (a bug) turned into that file's outcome, so the other files are still checked. */
async function checkFileIsolated(
  file: string,
  args: CheckArgs,
  budget: Budget,
  out: CheckOutput,
): Promise<{ outcome: FileOutcome; loaded?: LoadedHistory }> {
  try {
    return await checkFile(file, args, budget, out);
  } catch (err) {
    const message = `${file}: internal error: ${err instanceof Error ? err.message : String(err)}`;
    out.stderr(`faultline: ${message}\n`);
    if (process.env.FAULTLINE_DEBUG === '1' && err instanceof Error) out.stderr(`${err.stack}\n`);
    return { outcome: { file, error: message, internal: true } };
  }
}

async function checkFile(
  file: string,
  args: CheckArgs,
  budget: Budget,
  out: CheckOutput,
): Promise<{ outcome: FileOutcome; loaded?: LoadedHistory }> {
  let loaded: LoadedHistory;
  try {
    loaded = await readHistoryFile(file, { format: args.format ?? 'auto' });
  } catch (err) {
    if (err instanceof UserError) return { outcome: badInput(file, err.message, out) };
    throw err;
  }
  for (const warning of loaded.warnings) out.stderr(`faultline: warning: ${warning}\n`);
  if (loaded.history.length === 0) out.stderr(`faultline: ${file}: warning: the history has no ops\n`);
  if (budget.txn) {
    try {
      const result = budget.txn(loaded.history, {
        timeoutMs: budget.timeoutMs,
        memoryLimitBytes: budget.memoryLimitBytes,
      });
      return { outcome: { file, format: loaded.format, ops: loaded.history.length, result }, loaded };
    } catch (err) {
      if (err instanceof MalformedHistoryError)
        return { outcome: badInput(file, `${placeOf(loaded, err.opIndex)}: ${err.message}`, out) };
      if (err instanceof UserError) return { outcome: badInput(file, err.message, out) };
      throw err;
    }
  }
  const nilReadsAnyValue = args.nilReadsAnyValue ?? loaded.format !== 'jsonl';
  const note =
    args.nilReadsAnyValue === undefined ? nilReadNote(loaded.history, loaded.format, nilReadsAnyValue) : undefined;
  if (note) out.stderr(`faultline: note: ${loaded.path}: ${note}\n`);
  let result: LinearizableResult;
  try {
    result = await checkLinearizable(loaded.history, {
      model: args.model,
      initial: budget.initial,
      timeoutMs: budget.timeoutMs,
      memoryLimitBytes: budget.memoryLimitBytes,
      nilReadsAnyValue,
      pool: budget.pool,
    });
  } catch (err) {
    if (err instanceof MalformedHistoryError)
      return { outcome: badInput(file, `${placeOf(loaded, err.opIndex)}: ${err.message}`, out) };
    if (err instanceof UserError) return { outcome: badInput(file, err.message, out) };
    throw err;
  }
  const lines = evidenceLines(loaded, result);
  const outcome: FileOutcome = {
    file,
    format: loaded.format,
    ops: loaded.history.length,
    nilReadsAnyValue,
    ...(note && { nilReadNote: note }),
    result,
    ...(lines && { lines }),
  };
  return { outcome, loaded };
}

function badInput(file: string, message: string, out: CheckOutput): FileOutcome {
  out.stderr(`faultline: ${message}\n`);
  return { file, error: message };
}

/** `file:line` for an op index, or just the file when the index is out of range. */
function placeOf(loaded: LoadedHistory, opIndex: number): string {
  try {
    return `${loaded.path}:${loaded.lineOf(opIndex)}`;
  } catch {
    return loaded.path;
  }
}

/** For an invalid result: the lines of the failed op and the last ok op; undefined otherwise. */
function evidenceLines(
  loaded: LoadedHistory,
  result: LinearizableResult,
): { failedOp: OpLines; lastOkOp: OpLines | undefined } | undefined {
  if (result.valid !== false) return undefined;
  const linesOf = (op: { invokeIndex: number; completeIndex: number | undefined }): OpLines => ({
    invoke: loaded.lineOf(op.invokeIndex),
    complete: op.completeIndex === undefined ? undefined : loaded.lineOf(op.completeIndex),
  });
  const { failedOp, lastOkOp } = result.failure;
  return { failedOp: linesOf(failedOp), lastOkOp: lastOkOp && linesOf(lastOkOp) };
}

/** "history.jsonl:8 to line 9", or "history.jsonl:8 (never completed)". */
function placeText(file: string, op: OpLines): string {
  return op.complete === undefined
    ? `${file}:${op.invoke} (never completed)`
    : `${file}:${op.invoke} to line ${op.complete}`;
}

function printText(outcomes: FileOutcome[], out: CheckOutput, explanations: Map<FileOutcome, string[]>): void {
  for (const outcome of outcomes) {
    out.stdout(`${outcome.file}\t${'result' in outcome ? String(outcome.result.valid) : 'error'}\n`);
  }
  for (const outcome of outcomes) {
    if (!('result' in outcome) || outcome.result.valid === true) continue;
    if (outcome.result.kind !== 'linearizable') {
      const lines = explanations.get(outcome) ?? [];
      out.stdout(`\n${outcome.file} (${outcome.format}, ${outcome.ops} history entries):\n${lines.join('\n')}\n`);
      continue;
    }
    const explanation = [explainLinearizable(outcome.result)];
    if (outcome.lines) {
      explanation.push(`  The op that cannot be linearized is at ${placeText(outcome.file, outcome.lines.failedOp)}.`);
      const lastOk = outcome.lines.lastOkOp;
      if (lastOk) explanation.push(`  The last ok op that could is at ${placeText(outcome.file, lastOk)}.`);
    }
    out.stdout(`\n${outcome.file} (${outcome.format}, ${outcome.ops} history entries):\n${explanation.join('\n')}\n`);
  }
}

/**
 * 255 if checking any file failed internally, else 254 if any file was bad
 * input, else 1 if any invalid, else 2 if any unknown, else 0.
 */
function exitCode(outcomes: FileOutcome[]): number {
  if (outcomes.some((o) => 'internal' in o)) return EXIT.crash;
  if (outcomes.some((o) => !('result' in o))) return EXIT.badInput;
  const verdicts = outcomes.map((o) => ('result' in o ? o.result.valid : 'unknown'));
  if (verdicts.includes(false)) return EXIT.invalid;
  if (verdicts.includes('unknown')) return EXIT.unknown;
  return EXIT.valid;
}

/** The --initial JSON, or undefined when not given. Throws UserError naming the option. */
function parseInitial(text: string | undefined): Json | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new UserError(
      `not valid JSON: ${JSON.stringify(text)} (${(err as Error).message}); write e.g. --initial 0 or --initial '{"x":0}'`,
      {
        where: '--initial',
        cause: err,
      },
    );
  }
}
