/**
 * `faultline check --model list-append|rw-register|bank`: the transactional
 * checkers behind the check command. Their options are validated up front
 * (each names itself when wrong, or when given with a model it does not
 * apply to), and their results are explained in text: the anomaly types,
 * the models they rule out, and a few cases of each type in words, with the
 * file lines of the transactions involved.
 */
import { type BankResult, checkBank } from '../../../checkers/bank/index.js';
import type { CheckOptions } from '../../../checkers/checker.js';
import { checkListAppend, type ListAppendResult } from '../../../checkers/list-append/index.js';
import { checkRwRegister, parseTransactionOrder, type RwRegisterResult } from '../../../checkers/rw-register/index.js';
import { validateAnomalies, validateModels } from '../../../checkers/txn/plan.js';
import type { TxnResultFields } from '../../../checkers/txn/result.js';
import { mopsText } from '../../../checkers/txn/view.js';
import { UserError } from '../../errors.js';
import type { History, Json } from '../../history/op.js';
import type { LoadedHistory } from '../../history/read.js';

export const TXN_MODELS = ['list-append', 'rw-register', 'bank'] as const;
export type TxnModel = (typeof TXN_MODELS)[number];
export type TxnResult = ListAppendResult | RwRegisterResult | BankResult;

export function isTxnModel(model: string): model is TxnModel {
  return (TXN_MODELS as readonly string[]).includes(model);
}

/** The transactional options as typed on the command line. */
export interface TxnArgs {
  consistencyModels?: string | undefined;
  anomalies?: string | undefined;
  linearizableKeys?: boolean | undefined;
  sequentialKeys?: boolean | undefined;
  wfrKeys?: boolean | undefined;
  /** JSON: {"<history position>": rank, ...}. */
  transactionOrder?: string | undefined;
  allowNegativeBalances?: boolean | undefined;
  totalAmount?: string | undefined;
  /** Comma-separated account ids. */
  accounts?: string | undefined;
}

/** Which options belong to which models (for the error when one is given with another model). */
const OPTION_MODELS: Record<keyof TxnArgs, { flag: string; models: readonly TxnModel[] }> = {
  consistencyModels: { flag: '--consistency-models', models: ['list-append', 'rw-register'] },
  anomalies: { flag: '--anomalies', models: ['list-append', 'rw-register'] },
  linearizableKeys: { flag: '--linearizable-keys', models: ['rw-register'] },
  sequentialKeys: { flag: '--sequential-keys', models: ['rw-register'] },
  wfrKeys: { flag: '--wfr-keys', models: ['rw-register'] },
  transactionOrder: { flag: '--transaction-order', models: ['rw-register'] },
  allowNegativeBalances: { flag: '--allow-negative-balances', models: ['bank'] },
  totalAmount: { flag: '--total-amount', models: ['bank'] },
  accounts: { flag: '--accounts', models: ['bank'] },
};

/** The flags of the options that were given. */
export function givenTxnFlags(args: TxnArgs): string[] {
  return (Object.keys(OPTION_MODELS) as (keyof TxnArgs)[])
    .filter((k) => args[k] !== undefined)
    .map((k) => OPTION_MODELS[k].flag);
}

/**
 * The checker for `model` with the options in `args`: a function from a
 * history and a budget to a result. Throws UserError naming the option when
 * an option is malformed or does not apply to the model.
 */
export function txnChecker(model: TxnModel, args: TxnArgs): (history: History, budget: CheckOptions) => TxnResult {
  for (const [key, { flag, models }] of Object.entries(OPTION_MODELS) as [
    keyof TxnArgs,
    (typeof OPTION_MODELS)[keyof TxnArgs],
  ][]) {
    if (args[key] !== undefined && !models.includes(model)) {
      throw new UserError(`is for --model ${models.join(' or ')}, not ${model}`, { where: flag });
    }
  }
  const consistencyModels = list(args.consistencyModels);
  const anomalies = list(args.anomalies);
  if (consistencyModels) validateModels(consistencyModels);
  if (anomalies) validateAnomalies(anomalies);
  const common = { consistencyModels, anomalies };
  if (model === 'list-append') return (history, budget) => checkListAppend(history, { ...common, ...budget });
  if (model === 'rw-register') {
    const transactionOrder = parseOrder(args.transactionOrder);
    return (history, budget) =>
      checkRwRegister(history, {
        ...common,
        ...budget,
        linearizableKeys: args.linearizableKeys,
        sequentialKeys: args.sequentialKeys,
        wfrKeys: args.wfrKeys,
        transactionOrder,
      });
  }
  const totalAmount = args.totalAmount === undefined ? undefined : Number(args.totalAmount);
  if (totalAmount !== undefined && (args.totalAmount!.trim() === '' || !Number.isFinite(totalAmount))) {
    throw new UserError(`must be a number, got ${JSON.stringify(args.totalAmount)}`, { where: '--total-amount' });
  }
  const accounts = list(args.accounts);
  return (history) =>
    checkBank(history, { accounts, totalAmount, allowNegativeBalances: args.allowNegativeBalances ?? false });
}

/** "a, b ,c" → ["a", "b", "c"]; undefined stays undefined. */
function list(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseOrder(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`not valid JSON: ${JSON.stringify(text)}; write e.g. '{"1": 0, "3": 1}'`, {
      where: '--transaction-order',
      cause: err,
    });
  }
  parseTransactionOrder(parsed as Record<string, Json>); // throws UserError naming the option
  return parsed as Record<string, number>;
}

/** Cases printed per anomaly type (the rest are in --json and the report). */
const PRINTED_CASES = 3;

/** The text explanation of a result that is not true: indented lines. */
export function explainTxn(result: TxnResult, loaded: LoadedHistory): string[] {
  if (result.kind === 'bank') return explainBank(result, loaded);
  return explainTxnResult(result, loaded);
}

function explainTxnResult(result: TxnResultFields, loaded: LoadedHistory): string[] {
  const lines: string[] = [];
  const models = result.consistencyModels.join(', ') || 'the anomalies asked for';
  lines.push(`  Checked against ${models}: found ${result.anomalyTypes.join(', ')}.`);
  if (result.not.length > 0) {
    const also = result.alsoNot.length > 0 ? ` (and so neither ${result.alsoNot.join(', ')})` : '';
    lines.push(`  Not ${result.not.join(', ')}${also}.`);
  }
  if (result.error?.startsWith('stopped early')) lines.push(`  ${result.error}`);
  for (const warning of result.warnings) lines.push(`  Note: ${warning}`);
  for (const type of result.anomalyTypes) {
    const group = result.anomalies[type]!;
    lines.push('', `  ${type} (${group.count}):`);
    group.cases.slice(0, PRINTED_CASES).forEach((c, i) => {
      lines.push(`    ${i + 1}. ${c.explanation}`);
      for (const t of c.txns.slice(0, 10)) {
        lines.push(
          `       ${t.name}: process ${String(t.process)}, ${t.status}, at ${placeOf(loaded, t.invokeIndex, t.completeIndex)}: ${mopsText(t.mops)}`,
        );
      }
    });
    if (group.count > PRINTED_CASES) lines.push(`    ... ${group.count - PRINTED_CASES} more (see --json or --report)`);
  }
  return lines;
}

function explainBank(result: BankResult, loaded: LoadedHistory): string[] {
  if (result.valid === 'unknown' || !result.firstError) return [`  ${result.error ?? 'undecided'}`];
  const first = result.firstError;
  return [
    `  ${result.error}.`,
    `  The first wrong read is at ${placeOf(loaded, first.op.invokeIndex, first.op.completeIndex)}: ${JSON.stringify(first.op.value as Json)}`,
  ];
}

/** "file:3 to line 4" (or "file:3, never completed"). */
function placeOf(loaded: LoadedHistory, invoke: number, complete: number | null): string {
  const line = (i: number): string => {
    try {
      return String(loaded.lineOf(i));
    } catch {
      return `op ${i}`;
    }
  };
  return complete === null
    ? `${loaded.path}:${line(invoke)}, never completed`
    : `${loaded.path}:${line(invoke)} to line ${line(complete)}`;
}
