/**
 * The bank workload (Jepsen's): money moves between accounts 0..n-1 and
 * clients read every balance at once; the bank checker (checkers/bank)
 * wants every read to show the same total and, unless allowed, no balance
 * below zero. After the faults are healed every client reads once more.
 *
 * - transfer: invoke and ok value {from, to, amount} (from ≠ to, amount
 *   1..maxTransfer). A transfer the source cannot pay for fails.
 * - read: invoke value null; ok value {account: balance, ...} for every account.
 *
 * The target starts each account with totalAmount / n (the remainder on
 * account 0), so the total is totalAmount.
 */
import { bankChecker } from '../../checkers/bank/index.js';
import * as gen from '../../harness/generator/index.js';
import { UserError } from '../../harness/history/errors.js';
import { paced } from '../pacing.js';
import { pick } from '../txn/options.js';
import type { Workload, WorkloadOptions } from '../workload.js';

export interface BankWorkloadOptions {
  /** Default 8 (or the workload options' keys). */
  accounts?: number;
  /** Default 100. */
  totalAmount?: number;
  /** Default 5. */
  maxTransfer?: number;
  /** Default false. */
  allowNegativeBalances?: boolean;
}

interface BankSettings {
  accounts: number;
  totalAmount: number;
  maxTransfer: number;
  allowNegativeBalances: boolean;
}

/** The settings for a run. Throws UserError naming the option when one is bad. */
export function bankSettings(defaults: BankWorkloadOptions, options: WorkloadOptions): BankSettings {
  // test.workloadOptions may set any of them by name.
  const given = { ...defaults, ...pick(options, ['accounts', 'totalAmount', 'maxTransfer', 'allowNegativeBalances']) };
  const settings = {
    accounts: options.keys ?? (given.accounts as number | undefined) ?? 8,
    totalAmount: (given.totalAmount as number | undefined) ?? 100,
    maxTransfer: (given.maxTransfer as number | undefined) ?? 5,
    allowNegativeBalances: (given.allowNegativeBalances as boolean | undefined) ?? false,
  };
  for (const [name, min] of [
    ['accounts', 2],
    ['totalAmount', 0],
    ['maxTransfer', 1],
  ] as const) {
    const v = settings[name];
    if (!Number.isInteger(v) || v < min) {
      throw new UserError(`must be a whole number of at least ${min}, got ${v}`, {
        where: `test.workloadOptions.${name === 'accounts' ? 'keys' : name}`,
      });
    }
  }
  return settings;
}

/** The initial balance of each account (what the target should set up). */
export function initialBalances(settings: Pick<BankSettings, 'accounts' | 'totalAmount'>): number[] {
  const each = Math.floor(settings.totalAmount / settings.accounts);
  return Array.from({ length: settings.accounts }, (_, i) =>
    i === 0 ? settings.totalAmount - each * (settings.accounts - 1) : each,
  );
}

export function bankWorkload(defaults: BankWorkloadOptions = {}): Workload {
  return {
    name: 'bank',
    vocabulary: {
      transfer: 'invoke and ok: {from, to, amount}; fail when the source cannot pay',
      read: 'invoke null; ok: {account: balance, ...} for every account',
    },
    generator(options) {
      const s = bankSettings(defaults, options);
      const op: gen.OpFn = (_ctx, rng) => {
        if (rng.int(2) === 0) return { f: 'read', value: null };
        const from = rng.int(s.accounts);
        const to = (from + 1 + rng.int(s.accounts - 1)) % s.accounts;
        return { f: 'transfer', value: { from, to, amount: 1 + rng.int(s.maxTransfer) } };
      };
      return gen.clients(paced(options, op));
    },
    finalGenerator() {
      return gen.clients(gen.eachThread({ f: 'read', value: null }));
    },
    checker(options) {
      const s = bankSettings(defaults, options);
      return bankChecker({
        accounts: Array.from({ length: s.accounts }, (_, i) => i),
        totalAmount: s.totalAmount,
        allowNegativeBalances: s.allowNegativeBalances,
      });
    },
  };
}

export const bankWorkloadDefault = bankWorkload();
