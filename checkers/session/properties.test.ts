/**
 * Properties of the session checker against a simulated primary/replica
 * store (./testing/store.ts) with configurable replication lag. The store
 * knows what each serving node held, so it knows every violation it planted;
 * the checker, which sees only the history, must report exactly those:
 *
 * - a strongly consistent store (reads from the primary) plants none;
 * - on registers, with one op at a time, every planted violation is decidable
 *   and reported, and nothing else is; with overlapping and indeterminate ops
 *   some become undecidable, and what is reported is still only planted ones;
 * - on sets, reported equals planted always (no order to infer), including
 *   monotonic writes and writes-follow-reads when replication is out of order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../harness/history/random.js';
import { checkLinearizable } from '../linearizable/index.js';
import { checkSession, type Guarantee, type SessionResult } from './index.js';
import { type Planted, type StoreConfig, simulateStore } from './testing/store.js';

type Shape = Omit<StoreConfig, 'random' | 'datatype' | 'reads' | 'replication' | 'overlap' | 'infoRate'>;

const shapeArb: fc.Arbitrary<Shape & { seed: number }> = fc.record({
  clients: fc.integer({ min: 1, max: 6 }),
  keys: fc.integer({ min: 1, max: 3 }),
  ops: fc.integer({ min: 5, max: 120 }),
  lags: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 3 }),
  seed: fc.integer(),
});

const run = (shape: Shape & { seed: number }, rest: Omit<StoreConfig, keyof Shape | 'random'>) => {
  const { history, planted } = simulateStore({ ...shape, ...rest, random: seededRng(shape.seed).next });
  const result = checkSession(history, { datatype: rest.datatype, violationLimit: Number.POSITIVE_INFINITY });
  return { history, planted, result };
};

const ids = (planted: readonly Planted[]): string[] =>
  planted.map((p) => `${p.guarantee}|${String(p.process)}|${p.read}`).sort();
const reported = (r: SessionResult): string[] =>
  ids(r.violations.map((v) => ({ guarantee: v.guarantee, process: v.process, read: v.read.invokeIndex })));

/** Counts, over all runs of a property, how often each guarantee was planted (so no property is vacuous). */
class Seen {
  readonly counts: Record<Guarantee, number> = {
    'read-your-writes': 0,
    'monotonic-reads': 0,
    'monotonic-writes': 0,
    'writes-follow-reads': 0,
  };
  add(planted: readonly Planted[]): void {
    for (const p of planted) this.counts[p.guarantee]++;
  }
}

describe('session checker on a simulated store', () => {
  for (const datatype of ['register', 'set'] as const) {
    it(`${datatype}s: a strongly consistent store gives no violation, with overlapping and indeterminate ops`, () => {
      fc.assert(
        fc.property(shapeArb, fc.boolean(), (shape, overlap) => {
          const { planted, result } = run(shape, {
            datatype,
            reads: 'primary',
            replication: 'in-order',
            overlap,
            infoRate: 0.2,
          });
          expect(planted).toEqual([]);
          expect(result.violations).toEqual([]);
          expect(result.valid).not.toBe(false);
          expect(result.unexplainedCount + result.lostCount + result.unexpectedCount).toBe(0);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('registers: the strongly consistent store really is linearizable (the simulation is sound)', async () => {
    await fc.assert(
      fc.asyncProperty(shapeArb, async (shape) => {
        const { history } = run(
          { ...shape, ops: Math.min(shape.ops, 60) },
          { datatype: 'register', reads: 'primary', replication: 'in-order', overlap: true, infoRate: 0.2 },
        );
        expect((await checkLinearizable(history, { model: 'register', initial: null })).valid).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('registers, one op at a time, lagging replicas: exactly the planted violations', () => {
    const seen = new Seen();
    fc.assert(
      fc.property(shapeArb, fc.constantFrom('sticky', 'any') as fc.Arbitrary<'sticky' | 'any'>, (shape, reads) => {
        const { planted, result } = run(shape, {
          datatype: 'register',
          reads,
          replication: 'in-order',
          overlap: false,
          infoRate: 0,
        });
        seen.add(planted);
        expect(reported(result)).toEqual(ids(planted));
        for (const rung of result.ladder) expect(rung.undecided).toBe(0);
        if (reads === 'sticky') expect(planted.some((p) => p.guarantee === 'monotonic-reads')).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(seen.counts['read-your-writes']).toBeGreaterThan(50);
    expect(seen.counts['monotonic-reads']).toBeGreaterThan(50);
  });

  it('registers, overlapping and indeterminate ops: every violation reported was planted', () => {
    let found = 0;
    let plantedInAll = 0;
    fc.assert(
      fc.property(
        shapeArb,
        fc.constantFrom('sticky', 'any') as fc.Arbitrary<'sticky' | 'any'>,
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (shape, reads, infoRate) => {
          const { planted, result } = run(shape, {
            datatype: 'register',
            reads,
            replication: 'in-order',
            overlap: true,
            infoRate,
          });
          const truth = new Set(ids(planted));
          for (const id of reported(result)) expect(truth.has(id)).toBe(true);
          found += result.violations.length;
          plantedInAll += planted.length;
          expect(result.unexplainedCount).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
    // Most planted violations are still decidable when ops overlap.
    expect(found).toBeGreaterThan(plantedInAll / 2);
  });

  it('sets, in-order replication: exactly the planted violations, never monotonic writes or writes-follow-reads', () => {
    const seen = new Seen();
    fc.assert(
      fc.property(
        shapeArb,
        fc.constantFrom('sticky', 'any') as fc.Arbitrary<'sticky' | 'any'>,
        fc.boolean(),
        (shape, reads, overlap) => {
          const { planted, result } = run(shape, {
            datatype: 'set',
            reads,
            replication: 'in-order',
            overlap,
            infoRate: 0.1,
          });
          seen.add(planted);
          expect(reported(result)).toEqual(ids(planted));
          expect(result.lostCount + result.unexpectedCount).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
    expect(seen.counts['read-your-writes']).toBeGreaterThan(50);
    expect(seen.counts['monotonic-reads']).toBeGreaterThan(50);
    expect(seen.counts['monotonic-writes']).toBe(0);
    expect(seen.counts['writes-follow-reads']).toBe(0);
  });

  it('sets, out-of-order replication: exactly the planted violations, of all four guarantees', () => {
    const seen = new Seen();
    fc.assert(
      fc.property(
        shapeArb,
        fc.constantFrom('primary', 'sticky', 'any') as fc.Arbitrary<'primary' | 'sticky' | 'any'>,
        fc.boolean(),
        (shape, reads, overlap) => {
          const { planted, result } = run(shape, {
            datatype: 'set',
            reads,
            replication: 'out-of-order',
            overlap,
            infoRate: 0.1,
          });
          seen.add(planted);
          expect(reported(result)).toEqual(ids(planted));
          expect(result.lostCount + result.unexpectedCount).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
    // Writes-follow-reads needs a read, an add and another session's read of a replica in between: about 25 per 300 runs.
    for (const count of Object.values(seen.counts)) expect(count).toBeGreaterThan(0);
  });
});
