/**
 * The bank client: table bank(account int primary key, balance int). Every
 * connection first makes sure the accounts exist with the workload's initial
 * balances (INSERT ... ON CONFLICT DO NOTHING: the first client creates
 * them, the others change nothing).
 *
 * - transfer {from, to, amount}: reads the source's balance; when it cannot
 *   pay, rolls back (fail); else moves the amount with two UPDATEs.
 * - read: every balance, in one SELECT, as {account: balance}; read-only,
 *   so with --read-from replica it runs on a replica (PgConnection). A
 *   replica that has not replayed the accounts' creation yet answers with
 *   no rows at all: that read is a fail (it says nothing about transfers, and
 *   would look like money lost); some accounts but not all is recorded as read.
 *
 * Errors become fail or info in errors.ts (through PgConnection.transaction).
 */

import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import { bankSettings, initialBalances } from '../../../workloads/bank/index.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import type { WorkloadOptions } from '../../../workloads/workload.js';
import type { PostgresOptions } from '../options.js';
import { PgConnection, type Query, unknownOp } from './connection.js';

export const BANK_TABLE = 'CREATE TABLE IF NOT EXISTS bank (account int PRIMARY KEY, balance int NOT NULL)';

interface Transfer {
  from: number;
  to: number;
  amount: number;
}

function transferOf(value: unknown): Transfer | undefined {
  const v = value as Partial<Transfer> | null;
  return v !== null &&
    typeof v === 'object' &&
    Number.isInteger(v.from) &&
    Number.isInteger(v.to) &&
    Number.isInteger(v.amount)
    ? (v as Transfer)
    : undefined;
}

export class PgBankClient extends PgConnection {
  private readonly balances: number[];

  constructor(options: PostgresOptions, nodes: readonly NodeInfo[], workloadOptions: WorkloadOptions) {
    super(options, nodes);
    this.balances = initialBalances(bankSettings({}, workloadOptions));
  }

  protected override async onConnect(query: Query): Promise<void> {
    const rows = this.balances.map((_, i) => `($${2 * i + 1}::int, $${2 * i + 2}::int)`).join(', ');
    await query(
      `INSERT INTO bank (account, balance) VALUES ${rows} ON CONFLICT (account) DO NOTHING`,
      this.balances.flatMap((b, i) => [i, b]),
    );
  }

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    if (op.f === 'read') {
      const onStandby = this.onStandby(true);
      return this.transaction(signal, true, async (query) => {
        const { rows } = await query('SELECT account, balance FROM bank ORDER BY account');
        if (rows.length === 0 && onStandby) return { commit: false, reason: 'no accounts on the replica yet' };
        return {
          commit: true,
          value: Object.fromEntries(rows.map((r) => [String(r.account), r.balance as number])),
        };
      });
    }
    if (op.f !== 'transfer') return unknownOp('bank', op);
    const t = transferOf(op.value);
    if (!t) return { type: 'fail', error: 'expected {from, to, amount} of whole numbers' };
    return this.transaction(signal, false, async (query) => {
      const { rows } = await query('SELECT balance FROM bank WHERE account = $1', [t.from]);
      const balance = rows[0]?.balance as number | undefined;
      if (balance === undefined) return { commit: false, reason: `no account ${t.from}` };
      if (balance < t.amount) return { commit: false, reason: `insufficient funds: ${balance} < ${t.amount}` };
      await query('UPDATE bank SET balance = balance - $2 WHERE account = $1', [t.from, t.amount]);
      await query('UPDATE bank SET balance = balance + $2 WHERE account = $1', [t.to, t.amount]);
      return { commit: true, value: t };
    });
  }
}
