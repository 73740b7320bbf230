/**
 * The bank checker (Jepsen's bank workload, as elle-cli checks it): clients
 * transfer amounts between accounts (f "transfer", value {from, to,
 * amount}) and read every balance at once (f "read", ok value {account:
 * balance}). Transfers conserve money, so every read of a snapshot-isolated
 * (or stronger) database must show the same total, and, unless negative
 * balances are allowed, no account below zero.
 *
 * Each ok read is checked, in history order, for the first of:
 * - unexpected-key: accounts that are not among the accounts;
 * - nil-balance: an account with no balance (null);
 * - wrong-total: balances that do not add up to the total;
 * - negative-value: a balance below zero (unless allowNegativeBalances).
 *
 * The accounts and the total are the options' when given, else the first
 * ok read's (its accounts, its sum). Verdict: false when any read is wrong;
 * unknown when no read completed ok (nothing was checked); else true.
 */
import { MalformedHistoryError, UserError } from '../../harness/history/errors.js';
import { show } from '../../harness/history/json.js';
import type { History, Json, ProcessId } from '../../harness/history/op.js';
import { type Operation, pairOps } from '../../harness/history/pair.js';
import type { Checker, ResultBase } from '../checker.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    bank: BankResult;
  }
}

export interface BankOptions {
  /** The account ids. Default: those of the first ok read. */
  accounts?: readonly Json[] | undefined;
  /** The money in all accounts together. Default: the first ok read's sum. */
  totalAmount?: number | undefined;
  /** Whether a balance may be below zero. Default false. */
  allowNegativeBalances?: boolean | undefined;
}

export const BANK_ERROR_TYPES = ['unexpected-key', 'nil-balance', 'wrong-total', 'negative-value'] as const;
export type BankErrorType = (typeof BANK_ERROR_TYPES)[number];

/** An op of the history as the evidence shows it. */
export interface BankOp {
  process: ProcessId;
  f: string;
  /** ok, fail, info, or open (never completed). */
  outcome: 'ok' | 'fail' | 'info' | 'open';
  invokeIndex: number;
  completeIndex: number | null;
  value: Json;
}

export interface BankError {
  type: BankErrorType;
  /** The read. */
  op: BankOp;
  /** What is wrong, in words. */
  explanation: string;
  /** The accounts not among the accounts (unexpected-key), without a balance (nil-balance), below zero (negative-value). */
  accounts?: string[] | undefined;
  /** The read's total (wrong-total). */
  total?: number | undefined;
  /** negative-value: the negative balances. */
  negative?: number[] | undefined;
}

export interface BankErrorGroup {
  count: number;
  first: BankError;
  /** The most egregious: most unexpected or missing accounts, furthest total, most money below zero. */
  worst: BankError;
  last: BankError;
  /** wrong-total: the reads with the lowest and highest totals. */
  lowest?: BankError | undefined;
  highest?: BankError | undefined;
}

export interface BankResult extends ResultBase {
  readonly kind: 'bank';
  readCount: number;
  errorCount: number;
  accounts: string[];
  totalAmount: number | null;
  allowNegativeBalances: boolean;
  errors: Partial<Record<BankErrorType, BankErrorGroup>>;
  /** The first wrong read, with the ops around it: those that ran concurrently with it and the last few before. */
  firstError?: (BankError & { around: BankOp[] }) | undefined;
}

/** Ops listed around the first wrong read: completed before it (the latest ones), at most. */
const BEFORE = 8;
/** Ops concurrent with it, at most. */
const CONCURRENT = 30;

export function bankChecker(options: BankOptions = {}): Checker<BankResult> {
  return {
    name: 'bank',
    async check(history) {
      return checkBank(history, options);
    },
  };
}

/**
 * Checks a bank history (see the module comment). Throws UserError for bad
 * options, and MalformedHistoryError when an op's f is not transfer or
 * read, or an ok read's value is not a map of accounts to numbers or null.
 */
export function checkBank(history: History, options: BankOptions = {}): BankResult {
  validate(options);
  const ops = pairOps(history);
  const reads: Operation[] = [];
  for (const op of ops) {
    if (op.f !== 'read' && op.f !== 'transfer') {
      throw new MalformedHistoryError(
        `the bank checker knows f transfer and read, not ${JSON.stringify(op.f)}`,
        op.invoke.index,
      );
    }
    if (op.f === 'read' && op.complete?.type === 'ok') {
      balancesOf(op); // throws when malformed
      reads.push(op);
    }
  }
  reads.sort((a, b) => a.complete!.index - b.complete!.index);
  const first = reads[0] ? balancesOf(reads[0]) : undefined;
  const accounts = options.accounts ? options.accounts.map(accountId) : first ? Object.keys(first) : [];
  const total = options.totalAmount ?? (first ? sum(Object.values(first)) : null);
  const allowNegative = options.allowNegativeBalances ?? false;
  const base = {
    kind: 'bank' as const,
    readCount: reads.length,
    accounts,
    totalAmount: total,
    allowNegativeBalances: allowNegative,
  };
  if (reads.length === 0) {
    return {
      ...base,
      valid: 'unknown',
      error: 'no read completed ok, so no balance was checked',
      errorCount: 0,
      errors: {},
    };
  }
  const known = new Set(accounts);
  const found: BankError[] = [];
  for (const read of reads) {
    const error = checkRead(read, known, total!, allowNegative);
    if (error) found.push(error);
  }
  const errors: Partial<Record<BankErrorType, BankErrorGroup>> = {};
  for (const type of BANK_ERROR_TYPES) {
    const list = found.filter((e) => e.type === type);
    if (list.length === 0) continue;
    const badness = (e: BankError) => badnessOf(e, total!);
    errors[type] = {
      count: list.length,
      first: list[0]!,
      worst: list.reduce((a, b) => (badness(b) > badness(a) ? b : a)),
      last: list[list.length - 1]!,
      ...(type === 'wrong-total' && {
        lowest: list.reduce((a, b) => (b.total! < a.total! ? b : a)),
        highest: list.reduce((a, b) => (b.total! > a.total! ? b : a)),
      }),
    };
  }
  if (found.length === 0) return { ...base, valid: true, errorCount: 0, errors };
  const firstError = found[0]!;
  const counts = BANK_ERROR_TYPES.filter((t) => errors[t]).map((t) => `${errors[t]!.count} ${t}`);
  return {
    ...base,
    valid: false,
    error: `${found.length} of ${reads.length} reads are wrong (${counts.join(', ')}); the first: ${firstError.explanation}`,
    errorCount: found.length,
    errors,
    firstError: { ...firstError, around: around(ops, firstError.op) },
  };
}

function validate(options: BankOptions): void {
  if (options.totalAmount !== undefined && !Number.isFinite(options.totalAmount)) {
    throw new UserError(`must be a number, got ${options.totalAmount}`, { where: '--total-amount' });
  }
  if (options.accounts !== undefined && !Array.isArray(options.accounts)) {
    throw new UserError('must be a list of account ids', { where: 'accounts' });
  }
}

const accountId = (account: Json): string => (typeof account === 'string' ? account : JSON.stringify(account));

/** An ok read's balances; throws MalformedHistoryError when they are not a map of numbers (or null). */
function balancesOf(read: Operation): Record<string, number | null> {
  const value = read.complete!.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedHistoryError(
      `an ok read's value must map accounts to balances, e.g. {"0": 10, "1": 5}, got ${show(value ?? null)}`,
      read.complete!.index,
    );
  }
  for (const [account, balance] of Object.entries(value)) {
    if (balance !== null && (typeof balance !== 'number' || !Number.isFinite(balance))) {
      throw new MalformedHistoryError(
        `account ${account}'s balance must be a number (or null), got ${show(balance)}`,
        read.complete!.index,
      );
    }
  }
  return value as Record<string, number | null>;
}

const sum = (values: readonly (number | null)[]): number => values.reduce<number>((s, v) => s + (v ?? 0), 0);

function checkRead(
  read: Operation,
  accounts: ReadonlySet<string>,
  total: number,
  allowNegative: boolean,
): BankError | undefined {
  const balances = balancesOf(read);
  const op = bankOp(read);
  const where = `the read at op ${read.complete!.index} (process ${String(read.process)})`;
  const unexpected = Object.keys(balances).filter((a) => !accounts.has(a));
  if (unexpected.length > 0) {
    return {
      type: 'unexpected-key',
      op,
      accounts: unexpected,
      explanation: `${where} shows account(s) ${unexpected.join(', ')}, which are not among the accounts (${[...accounts].join(', ')})`,
    };
  }
  const nils = Object.entries(balances)
    .filter(([, b]) => b === null)
    .map(([a]) => a);
  if (nils.length > 0) {
    return {
      type: 'nil-balance',
      op,
      accounts: nils,
      explanation: `${where} shows no balance for account(s) ${nils.join(', ')}`,
    };
  }
  const readTotal = sum(Object.values(balances));
  if (readTotal !== total) {
    return {
      type: 'wrong-total',
      op,
      total: readTotal,
      explanation: `${where} shows balances adding up to ${readTotal}, not ${total}: money was ${readTotal > total ? 'created' : 'lost'}`,
    };
  }
  const negative = Object.entries(balances).filter(([, b]) => (b as number) < 0);
  if (!allowNegative && negative.length > 0) {
    return {
      type: 'negative-value',
      op,
      accounts: negative.map(([a]) => a),
      negative: negative.map(([, b]) => b as number),
      explanation: `${where} shows ${negative.map(([a, b]) => `account ${a} at ${b}`).join(', ')}, below zero`,
    };
  }
  return undefined;
}

function badnessOf(e: BankError, total: number): number {
  switch (e.type) {
    case 'unexpected-key':
    case 'nil-balance':
      return e.accounts!.length;
    case 'wrong-total':
      return total > 0 ? Math.abs((e.total! - total) / total) : 0;
    case 'negative-value':
      return -sum(e.negative!);
  }
}

function bankOp(op: Operation): BankOp {
  const complete = op.complete;
  return {
    process: op.process,
    f: op.f,
    outcome: complete ? complete.type : 'open',
    invokeIndex: op.invoke.index,
    completeIndex: complete ? complete.index : null,
    value: (complete?.type === 'ok' && op.f === 'read' ? complete.value : op.invoke.value) ?? null,
  };
}

/** The ops concurrent with `read` and the last few completed before it, in invocation order (the read included). */
function around(ops: readonly Operation[], read: BankOp): BankOp[] {
  const start = read.invokeIndex;
  const end = read.completeIndex!;
  const before = ops
    .filter((o) => o.complete !== undefined && o.complete.index < start)
    .sort((a, b) => b.complete!.index - a.complete!.index)
    .slice(0, BEFORE);
  const concurrent = ops
    .filter((o) => o.invoke.index <= end && (o.complete === undefined || o.complete.index >= start))
    .slice(0, CONCURRENT);
  return [...new Set([...before, ...concurrent])].sort((a, b) => a.invoke.index - b.invoke.index).map(bankOp);
}
