import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedHistoryError } from '../../harness/history/errors.js';
import type { Json, Op } from '../../harness/history/op.js';
import { seededRng } from '../../harness/history/random.js';
import { summarize } from '../views.js';
import { checkBank } from './index.js';

/**
 * Clients of a real bank: transfers (failing when the source cannot pay)
 * and reads of every balance, each applied atomically between invocation
 * and completion; some transfers crash (info).
 */
function bankHistory(seed: number, accounts: number, clients: number, ops: number): Op[] {
  const random = seededRng(seed).next;
  const balances = new Map<string, number>(Array.from({ length: accounts }, (_, i) => [String(i), 10]));
  const history: Op[] = [];
  const emit = (op: Omit<Op, 'index' | 'time'>): void => {
    history.push({ ...op, index: history.length, time: history.length } as Op);
  };
  type Pending = { process: number; f: string; value: Json; result?: { type: 'ok' | 'fail' | 'info'; value: Json } };
  const pending = new Map<number, Pending>();
  let next = clients;
  const processes = Array.from({ length: clients }, (_, i) => i);
  for (let i = 0; i < ops * 3; i++) {
    const slot = Math.floor(random() * clients);
    const process = processes[slot]!;
    const p = pending.get(process);
    if (!p) {
      const read = random() < 0.3;
      const value: Json = read
        ? null
        : {
            from: Math.floor(random() * accounts),
            to: Math.floor(random() * accounts),
            amount: 1 + Math.floor(random() * 5),
          };
      pending.set(process, { process, f: read ? 'read' : 'transfer', value });
      emit({ type: 'invoke', process, f: read ? 'read' : 'transfer', value });
    } else if (!p.result) {
      if (p.f === 'read') p.result = { type: 'ok', value: Object.fromEntries(balances) };
      else {
        const { from, to, amount } = p.value as { from: number; to: number; amount: number };
        const crash = random() < 0.1;
        if (balances.get(String(from))! < amount) p.result = { type: 'fail', value: p.value };
        else {
          balances.set(String(from), balances.get(String(from))! - amount);
          balances.set(String(to), balances.get(String(to))! + amount);
          p.result = { type: crash ? 'info' : 'ok', value: p.value };
        }
      }
    } else {
      pending.delete(process);
      emit({ type: p.result.type, process, f: p.f, value: p.result.value });
      if (p.result.type === 'info') processes[slot] = next++;
    }
  }
  return history;
}

const runArb = fc.record({
  seed: fc.nat(),
  accounts: fc.integer({ min: 1, max: 6 }),
  clients: fc.integer({ min: 1, max: 5 }),
  ops: fc.integer({ min: 5, max: 80 }),
});

const reads = (h: Op[]) => h.filter((op) => op.type === 'ok' && op.f === 'read');

describe('bank checker', () => {
  it('a real bank run one op at a time conserves its total with no negative balance', () => {
    fc.assert(
      fc.property(runArb, ({ seed, accounts, clients, ops }) => {
        const h = bankHistory(seed, accounts, clients, ops);
        const result = checkBank(h);
        expect(result.valid).toBe(reads(h).length > 0 ? true : 'unknown');
      }),
      { numRuns: 200 },
    );
  });

  it('a read of a half-applied transfer is a wrong total; a read below zero a negative value', () => {
    fc.assert(
      fc.property(runArb, fc.nat(), ({ seed, accounts, clients, ops }, which) => {
        const h = bankHistory(seed, accounts, clients, ops);
        const rs = reads(h);
        fc.pre(rs.length >= 2);
        const read = rs.slice(1)[which % (rs.length - 1)]!;
        const balances = read.value as Record<string, number>;
        balances['0'] = balances['0']! - 3; // the money left account 0 but never arrived
        const wrong = checkBank(h);
        expect(wrong.valid).toBe(false);
        expect(wrong.errors['wrong-total']?.first.op.completeIndex).toBe(read.index);
        expect(wrong.firstError!.around.map((op) => op.completeIndex)).toContain(read.index);
        if (accounts < 2) return;
        // Now the same total, but account 0 below zero.
        const total = Object.values(rs[0]!.value as Record<string, number>).reduce((a, b) => a + b, 0);
        balances['0'] = -1;
        balances['1'] = 0;
        balances['1'] = total - Object.values(balances).reduce((a, b) => a + b, 0);
        const negative = checkBank(h);
        expect(negative.errors['negative-value']?.first.op.completeIndex).toBe(read.index);
        expect(checkBank(h, { allowNegativeBalances: true }).valid).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('uses the given accounts and total, and says what is wrong', () => {
    const h = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'read', value: null },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'read', value: { a: 5, b: 5 } },
      { index: 2, time: 2, type: 'invoke', process: 0, f: 'read', value: null },
      { index: 3, time: 3, type: 'ok', process: 0, f: 'read', value: { a: 5, b: null } },
      { index: 4, time: 4, type: 'invoke', process: 0, f: 'read', value: null },
      { index: 5, time: 5, type: 'ok', process: 0, f: 'read', value: { a: 5, c: 5 } },
    ] as Op[];
    const result = checkBank(h, { accounts: ['a', 'b'], totalAmount: 10 });
    expect(result.valid).toBe(false);
    expect(result.errors['nil-balance']?.first.accounts).toEqual(['b']);
    expect(result.errors['unexpected-key']?.first.accounts).toEqual(['c']);
    expect(result.firstError?.explanation).toBe('the read at op 3 (process 0) shows no balance for account(s) b');
    expect(summarize(result)).toBe('bank: 2 of 3 reads wrong (1 unexpected-key, 1 nil-balance)');
    expect(checkBank(h, { totalAmount: 11 }).errors['wrong-total']?.count).toBe(1);
  });

  it('is unknown without reads, and rejects ops it does not know', () => {
    expect(checkBank([]).valid).toBe('unknown');
    const bad = [{ index: 0, time: 0, type: 'invoke', process: 0, f: 'withdraw', value: 1 }] as Op[];
    expect(() => checkBank(bad)).toThrow(MalformedHistoryError);
    const badRead = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'read', value: null },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'read', value: [1, 2] },
    ] as Op[];
    expect(() => checkBank(badRead)).toThrow(/must map accounts to balances/);
  });
});
