/**
 * The bank client. Accounts are rows of `accounts`.
 *
 * - transfer {from, to, amount}: reads both balances (plain SELECTs: the
 *   session's isolation level decides what they see), fails when `from`
 *   cannot pay, else writes both new balances, computed by the client, in
 *   one transaction. Lost updates therefore show as a wrong total.
 * - read: every balance in one transaction, {id: balance}.
 *
 * Before its first op each client makes sure the accounts exist
 * (INSERT IGNORE of the bank workload's initial balances, a no-op when
 * they are there), so every node has them before its clients read.
 * The balances are the workload's defaults (8 accounts, total 100): a
 * client is not told test.workloadOptions, so other values of accounts or
 * totalAmount are not supported yet (the checker would report wrong totals).
 *
 * Errors become fail or info in ../errors.ts (through transaction()).
 */
import { bankSettings, initialBalances } from '../../../workloads/bank/index.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { GaleraConnection, unknownOp } from './connection.js';

const BALANCES = initialBalances(bankSettings({}, { concurrency: 1 }));

interface Transfer {
  from: number;
  to: number;
  amount: number;
}

function isTransfer(value: unknown): value is Transfer {
  const t = value as Partial<Transfer> | null;
  return (
    Number.isSafeInteger(t?.from) && Number.isSafeInteger(t?.to) && Number.isSafeInteger(t?.amount) && t?.from !== t?.to
  );
}

export class GaleraBankClient extends GaleraConnection {
  private seeded = false;

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    if (!this.seeded) {
      const seeded = await this.seed(signal);
      if (seeded.type !== 'ok') return { type: 'fail', error: `creating the accounts: ${String(seeded.error)}` };
      this.seeded = true;
    }
    switch (op.f) {
      case 'read':
        return this.transaction(signal, async (conn) => {
          const rows: { id: number; balance: number }[] = await conn.query('SELECT id, balance FROM accounts');
          return { commit: true, value: Object.fromEntries(rows.map((r) => [r.id, r.balance])) };
        });
      case 'transfer': {
        const t = op.value;
        if (!isTransfer(t)) return { type: 'fail', error: `expected {from, to, amount}, got ${JSON.stringify(t)}` };
        return this.transaction(signal, async (conn) => {
          const [from] = (await conn.query('SELECT balance FROM accounts WHERE id = ?', [t.from])) as {
            balance: number;
          }[];
          const [to] = (await conn.query('SELECT balance FROM accounts WHERE id = ?', [t.to])) as { balance: number }[];
          if (!from || !to) return { commit: false, error: `no account ${!from ? t.from : t.to}` };
          if (from.balance - t.amount < 0) return { commit: false, error: 'insufficient funds' };
          await conn.query('UPDATE accounts SET balance = ? WHERE id = ?', [from.balance - t.amount, t.from]);
          await conn.query('UPDATE accounts SET balance = ? WHERE id = ?', [to.balance + t.amount, t.to]);
          return { commit: true, value: t };
        });
      }
      default:
        return unknownOp('bank', op.f);
    }
  }

  /** Inserts the accounts that are missing (ok), or says why it could not. A failed seed changes nothing. */
  private seed(signal: AbortSignal): Promise<Completion> {
    const rows = BALANCES.map(() => '(?, ?)').join(', ');
    const values = BALANCES.flatMap((balance, id) => [id, balance]);
    return this.transaction(signal, async (conn) => {
      await conn.query(`INSERT IGNORE INTO accounts (id, balance) VALUES ${rows}`, values);
      return { commit: true, value: null };
    });
  }
}
