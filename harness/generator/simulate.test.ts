import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wellFormedProblems } from '../interpreter/well-formed.js';
import { any, flipFlop, mix } from './choice.js';
import { type GenLike, sequence } from './core.js';
import type { Generator } from './generator.js';
import { independentConcurrent } from './independent.js';
import { cycle, limit, repeat, timeLimit } from './limits.js';
import { phases } from './phases.js';
import { simulate } from './simulate.js';
import { clients, eachThread, nemesis, reserve } from './threads.js';
import { delay, sleep, stagger } from './timing.js';

describe('simulate', () => {
  it('retires a process after an info: the thread continues as thread + k * concurrency', () => {
    const r = simulate(
      limit(4, () => ({ f: 'r' })),
      { concurrency: 2, respond: () => ({ type: 'info' }) },
    );
    expect(r.invocations.map((o) => o.process).sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3]);
    expect(wellFormedProblems(r.history)).toEqual([]);
  });

  it('records nemesis ops as info invocation and info completion', () => {
    const r = simulate(nemesis({ f: 'kill', value: ['n1'] }), { concurrency: 1, nemesis: true });
    expect(r.history).toEqual([
      { index: 0, time: 0, type: 'info', process: 'nemesis', f: 'kill', value: ['n1'] },
      { index: 1, time: 1e6, type: 'info', process: 'nemesis', f: 'kill', value: ['n1'] },
    ]);
  });

  it('stops at maxOps and at maxTime', () => {
    expect(simulate(() => ({ f: 'r' }), { concurrency: 2, maxOps: 10 })).toMatchObject({ stopped: 'maxOps' });
    expect(simulate(() => ({ f: 'r' }), { concurrency: 2, maxOps: 10 }).invocations).toHaveLength(10);
    expect(
      simulate(
        delay(1, () => ({ f: 'r' })),
        { concurrency: 2, maxTimeNs: 5e9 },
      ).stopped,
    ).toBe('maxTime');
  });

  it('rejects a generator that emits an op for a busy process', () => {
    const bad: Generator = {
      op: (ctx) => ({ kind: 'op', op: { type: 'invoke', process: 0, time: ctx.time, f: 'x' }, next: bad }),
      update: () => bad,
    };
    expect(() => simulate(bad, { concurrency: 1 })).toThrow(/busy or unknown/);
  });
});

// A random test schedule built from every combinator.
const leaf = fc.constantFrom<GenLike>(
  () => ({ f: 'r' }),
  { f: 'w', value: 1 },
  (_ctx, rng) => ({ f: 'cas', value: [rng.int(3), rng.int(3)] }),
  sleep(0.01),
);
const { gen } = fc.letrec<{ gen: GenLike }>((tie) => ({
  gen: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.integer({ min: 0, max: 8 }), tie('gen')).map(([n, g]) => limit(n, g)),
    fc.tuple(fc.integer({ min: 0, max: 5 }), tie('gen')).map(([n, g]) => repeat(n, g)),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => limit(12, cycle(a, b))),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => any(a, b)),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => limit(10, mix(a, b))),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => flipFlop(a, b)),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => phases(a, b)),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => sequence(a, b)),
    tie('gen').map((g) => stagger(0.005, g)),
    tie('gen').map((g) => delay(0.003, g)),
    tie('gen').map((g) => timeLimit(0.05, g)),
    tie('gen').map((g) => clients(g)),
    tie('gen').map((g) => nemesis(g)),
    tie('gen').map((g) => limit(6, eachThread(g))),
    fc.tuple(tie('gen'), tie('gen')).map(([a, b]) => reserve(1, a, b)),
    tie('gen').map((g) => independentConcurrent({ threadsPerKey: 1, keys: [1, 2, 3], opsPerKey: 2, fn: () => g })),
  ),
}));

describe('any composition', () => {
  it('gives a well-formed history, the same for the same seed', () => {
    fc.assert(
      fc.property(
        gen,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.integer(),
        (g, concurrency, withNemesis, seed) => {
          const options = {
            concurrency,
            nemesis: withNemesis,
            seed,
            maxOps: 300,
            maxTimeNs: 20e9,
            respond: (_op: unknown, rng: { int(n: number): number }) => ({
              latencyNs: 1e5 + rng.int(5e6),
              type: (['ok', 'ok', 'fail', 'info'] as const)[rng.int(4)],
            }),
          };
          const a = simulate(g, options);
          expect(wellFormedProblems(a.history)).toEqual([]);
          expect(simulate(g, options).history).toEqual(a.history);
          if (a.stopped === 'done') {
            // everything invoked was completed
            expect(a.history.filter((o) => o.type !== 'invoke' || o.process === 'nemesis').length).toBe(
              a.history.length - a.invocations.filter((o) => o.type === 'invoke').length,
            );
            expect(a.history.length).toBe(2 * a.invocations.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
