import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkListAppend } from '../../checkers/list-append/index.js';
import { checkRwRegister } from '../../checkers/rw-register/index.js';
import { listStore, type MicroOp, registerStore, type Store } from '../../checkers/txn/testing/simulate.js';
import { type SimResponse, simulate } from '../../harness/generator/index.js';
import type { Json, Op } from '../../harness/history/op.js';
import { seededRng } from '../../harness/history/random.js';
import { listAppendWorkload } from '../list-append/index.js';
import { rwRegisterWorkload } from '../rw-register/index.js';
import type { WorkloadOptions } from '../workload.js';
import { DEFAULT_KNOBS, initialPool, nextTxn } from './keys.js';

/**
 * A serial store behind simulated clients: each transaction takes effect
 * when it is invoked (inside its invocation-completion interval), some
 * crash (info) with or without taking effect, some fail without.
 */
function serialResponder(store: Store): (op: Op, rng: { int(n: number): number }) => SimResponse {
  return (op, rng) => {
    const latencyNs = 1 + rng.int(20_000_000);
    const roll = rng.int(20);
    if (roll === 0) return { type: 'fail', latencyNs };
    const done = store.apply(op.value as MicroOp[]) as Json;
    if (roll === 1) return { type: 'info', latencyNs };
    return { value: done, latencyNs };
  };
}

describe('transactional workload generators', () => {
  it("make transactions with Elle's knobs: lengths, unique writes, keys retired after maxWritesPerKey", () => {
    const knobs = { ...DEFAULT_KNOBS, activeKeys: 3, minTxnLength: 2, maxTxnLength: 5, maxWritesPerKey: 4 };
    let pool = initialPool(knobs);
    const rng = seededRng(1);
    const writes = new Map<Json, Json[]>();
    for (let i = 0; i < 2000; i++) {
      const next = nextTxn(pool, rng, knobs, 'append');
      expect(next.mops.length).toBeGreaterThanOrEqual(2);
      expect(next.mops.length).toBeLessThanOrEqual(5);
      for (const [f, k, v] of next.mops as MicroOp[]) if (f === 'append') writes.set(k, [...(writes.get(k) ?? []), v]);
      expect(next.pool.keys.length).toBe(3);
      pool = next.pool;
    }
    for (const values of writes.values()) {
      expect(values.length).toBeLessThanOrEqual(4);
      expect(values).toEqual(values.map((_, i) => i + 1));
    }
    expect(pool.nextKey).toBeGreaterThan(100);
  });

  it('the exponential key distribution favours the last active keys; uniform does not', () => {
    const count = (keyDistribution: 'uniform' | 'exponential') => {
      const knobs = { ...DEFAULT_KNOBS, activeKeys: 4, maxWritesPerKey: 1e9, keyDistribution };
      const rng = seededRng(2);
      const hits = [0, 0, 0, 0];
      let pool = initialPool(knobs);
      for (let i = 0; i < 4000; i++) {
        const next = nextTxn(pool, rng, knobs, 'w');
        for (const [, k] of next.mops as MicroOp[]) hits[k as number]!++;
        pool = next.pool;
      }
      return hits;
    };
    const exp = count('exponential');
    expect(exp[3]! / exp[0]!).toBeGreaterThan(5);
    const uni = count('uniform');
    expect(Math.max(...uni) / Math.min(...uni)).toBeLessThan(1.2);
  });

  it.each([
    ['list-append', listAppendWorkload, listStore, checkListAppend],
    ['rw-register', rwRegisterWorkload, registerStore, checkRwRegister],
  ] as const)('%s: a simulated serial store comes out valid', (_name, workload, makeStore, check) => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 10 }), (seed, concurrency) => {
        const w = workload({ activeKeys: 3, maxWritesPerKey: 8 });
        const sim = simulate(w.generator({ concurrency }), {
          concurrency,
          seed,
          maxOps: 300,
          respond: serialResponder(makeStore()),
        });
        expect(sim.invocations.every((op) => op.f === 'txn')).toBe(true);
        const result = check(sim.history);
        expect(result.valid).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('list-append: the workload’s checker catches a store that serves stale reads', async () => {
    const w = listAppendWorkload({ activeKeys: 2 });
    const store = listStore();
    // A store that applies appends, but whose reads lag: they miss the last element.
    const stale: Store = {
      apply(mops) {
        return store.apply(mops).map(([f, k, v]) => [f, k, f === 'r' ? (v as Json[]).slice(0, -1) : v]);
      },
    };
    const sim = simulate(w.generator({ concurrency: 4 }), {
      concurrency: 4,
      seed: 3,
      maxOps: 300,
      respond: serialResponder(stale),
    });
    const result = await w.checker({ concurrency: 4 }).check(sim.history);
    expect(result.valid).toBe(false);
  });

  it('takes knobs and models from test.workloadOptions too', async () => {
    const options = {
      concurrency: 2,
      maxTxnLength: 1,
      activeKeys: 1,
      consistencyModels: ['read-committed'],
    } as WorkloadOptions;
    const sim = simulate(listAppendWorkload().generator(options), { concurrency: 2, maxOps: 50 });
    expect(sim.invocations.every((op) => (op.value as Json[]).length === 1)).toBe(true);
    expect(new Set(sim.invocations.map((op) => (op.value as MicroOp[])[0]![1])).size).toBeLessThanOrEqual(2);
    // A write skew passes read committed.
    const skew = [
      {
        index: 0,
        time: 0,
        type: 'invoke',
        process: 0,
        f: 'txn',
        value: [
          ['r', 'x', null],
          ['append', 'y', 1],
        ],
      },
      {
        index: 1,
        time: 1,
        type: 'invoke',
        process: 1,
        f: 'txn',
        value: [
          ['r', 'y', null],
          ['append', 'x', 1],
        ],
      },
      {
        index: 2,
        time: 2,
        type: 'ok',
        process: 0,
        f: 'txn',
        value: [
          ['r', 'x', []],
          ['append', 'y', 1],
        ],
      },
      {
        index: 3,
        time: 3,
        type: 'ok',
        process: 1,
        f: 'txn',
        value: [
          ['r', 'y', []],
          ['append', 'x', 1],
        ],
      },
    ] as Op[];
    expect((await listAppendWorkload().checker(options).check(skew)).valid).toBe(true);
    expect((await listAppendWorkload().checker({ concurrency: 2 }).check(skew)).valid).toBe(false);
  });

  it('rejects bad knobs, naming the option', () => {
    expect(() => listAppendWorkload({ maxTxnLength: 0 }).generator({ concurrency: 1 })).toThrow(
      /^test\.workloadOptions\.maxTxnLength: must be a positive whole number/,
    );
    expect(() => rwRegisterWorkload({ minTxnLength: 3, maxTxnLength: 2 }).generator({ concurrency: 1 })).toThrow(
      /must be at least minTxnLength/,
    );
    expect(() => listAppendWorkload().generator({ concurrency: 1, keys: 0 })).toThrow(/activeKeys/);
  });
});
