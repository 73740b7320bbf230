import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../harness/generator/index.js';
import type { Json, Op } from '../../harness/history/op.js';
import { bankSettings, bankWorkload, initialBalances } from './index.js';

/** A real bank behind simulated clients: ops take effect at invocation; unpayable transfers fail. */
function bank(accounts: number, total: number) {
  const balances = initialBalances({ accounts, totalAmount: total });
  return (op: Op, rng: { int(n: number): number }) => {
    const latencyNs = 1 + rng.int(10_000_000);
    if (op.f === 'read')
      return { value: Object.fromEntries(balances.map((b, i) => [String(i), b])) as Json, latencyNs };
    const { from, to, amount } = op.value as { from: number; to: number; amount: number };
    if (balances[from]! < amount) return { type: 'fail' as const, latencyNs };
    balances[from]! -= amount;
    balances[to]! += amount;
    return { latencyNs };
  };
}

describe('bank workload', () => {
  it('transfers between distinct accounts and reads; a real bank comes out valid, final reads on every thread', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 6 }), async (seed, concurrency) => {
        const w = bankWorkload({ accounts: 5, totalAmount: 50 });
        const respond = bank(5, 50);
        const main = simulate(w.generator({ concurrency }), { concurrency, seed, maxOps: 200, respond });
        for (const op of main.invocations) {
          if (op.f === 'transfer') {
            const v = op.value as { from: number; to: number; amount: number };
            expect(v.from).not.toBe(v.to);
            expect(v.amount).toBeGreaterThanOrEqual(1);
            expect(v.amount).toBeLessThanOrEqual(5);
          } else expect(op).toMatchObject({ f: 'read', value: null });
        }
        const final = simulate(w.finalGenerator({ concurrency })!, { concurrency, respond });
        expect(final.invocations.map((op) => op.f)).toEqual(new Array(concurrency).fill('read'));
        const result = await w.checker({ concurrency }).check(main.history);
        expect(result.valid).not.toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('starts with the total split over the accounts, and rejects bad settings', () => {
    expect(initialBalances({ accounts: 3, totalAmount: 10 })).toEqual([4, 3, 3]);
    expect(bankSettings({}, { concurrency: 1, keys: 4 })).toMatchObject({ accounts: 4, totalAmount: 100 });
    const fromConfig = { concurrency: 1, totalAmount: 40, allowNegativeBalances: true } as never;
    expect(bankSettings({}, fromConfig)).toMatchObject({ accounts: 8, totalAmount: 40, allowNegativeBalances: true });
    expect(() => bankSettings({ maxTransfer: 0 }, { concurrency: 1 })).toThrow(/^test\.workloadOptions\.maxTransfer/);
    expect(() => bankSettings({}, { concurrency: 1, keys: 1 })).toThrow(/^test\.workloadOptions\.keys/);
  });
});
