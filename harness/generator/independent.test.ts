import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import type { Json, Op } from '../history/op.js';
import type { Generator } from './generator.js';
import { independentConcurrent } from './independent.js';
import { repeat, timeLimit } from './limits.js';
import { simulate } from './simulate.js';
import { clients } from './threads.js';
import { stagger } from './timing.js';

const byKey = (ops: Op[]) => {
  const m = new Map<string, Op[]>();
  for (const o of ops) m.set(JSON.stringify(o.key), [...(m.get(JSON.stringify(o.key)) ?? []), o]);
  return m;
};

describe('independentConcurrent', () => {
  it('groups of threads work on one key each; a used-up key is replaced by a fresh one', () => {
    const gen = independentConcurrent({
      threadsPerKey: 2,
      keys: ['k0', 'k1', 'k2', 'k3', 'k4'],
      opsPerKey: 4,
      fn: (key) => () => ({ f: 'write', value: `${key}` }),
    });
    const r = simulate(clients(gen), { concurrency: 4, nemesis: true, seed: 3 });
    expect(r.stopped).toBe('done');
    const keys = byKey(r.invocations);
    expect([...keys.keys()].sort()).toEqual(['"k0"', '"k1"', '"k2"', '"k3"', '"k4"']);
    for (const [key, ops] of keys) {
      expect(ops).toHaveLength(4);
      expect(ops.every((o) => JSON.stringify(o.value) === key)).toBe(true);
      // all ops of one key come from one group of 2 threads: {0,1} or {2,3}
      const groups = new Set(ops.map((o) => Math.floor(((o.process as number) % 4) / 2)));
      expect(groups.size).toBe(1);
    }
    // completions carry the key too
    expect(r.history.filter((o) => o.type !== 'invoke').every((o) => o.key !== undefined)).toBe(true);
  });

  it('two keys are in play at once with 4 threads, 2 per key', () => {
    const gen = independentConcurrent({
      threadsPerKey: 2,
      keys: [1, 2, 3],
      opsPerKey: 10,
      fn: () => () => ({ f: 'r' }),
    });
    const r = simulate(gen, { concurrency: 4 });
    expect(new Set(r.invocations.slice(0, 4).map((o) => o.key))).toEqual(new Set([1, 2]));
  });

  it('takes keys lazily from an endless generator of keys', () => {
    function* naturals(): IterableIterator<Json> {
      for (let i = 0; ; i++) yield i;
    }
    const gen = timeLimit(
      1,
      independentConcurrent({
        threadsPerKey: 1,
        keys: naturals(),
        opsPerKey: 3,
        fn: () => stagger(0.01, () => ({ f: 'r' })),
      }),
    );
    const r = simulate(gen, { concurrency: 2, seed: 1 });
    const keys = byKey(r.invocations);
    expect(keys.size).toBeGreaterThan(10);
    for (const ops of [...keys.values()].slice(0, -2)) expect(ops).toHaveLength(3);
  });

  it("a key's generator ending by itself moves the group on (no opsPerKey)", () => {
    const gen = independentConcurrent({ threadsPerKey: 1, keys: ['a', 'b'], fn: () => repeat(2, { f: 'r' }) });
    const r = simulate(gen, { concurrency: 1 });
    expect(r.invocations.map((o) => o.key)).toEqual(['a', 'a', 'b', 'b']);
  });

  it("feeds each key's generator only its own events", () => {
    const seen: Json[] = [];
    const spy = (key: Json, inner: Generator): Generator => ({
      op: (ctx) => {
        const s = inner.op(ctx);
        return s.kind === 'done' ? s : { ...s, next: spy(key, s.next) };
      },
      update: (ctx, e) => {
        seen.push(e.key === key ? 'ok' : `wrong: ${String(e.key)} to ${String(key)}`);
        return spy(key, inner.update(ctx, e));
      },
    });
    const r = simulate(
      independentConcurrent({ threadsPerKey: 1, keys: ['a', 'b', 'c'], fn: (k) => spy(k, repeat(2, { f: 'r' })) }),
      {
        concurrency: 2,
      },
    );
    expect(seen).toEqual(Array(12).fill('ok'));
    expect(r.invocations).toHaveLength(6);
  });

  it('a thread count that is not a multiple of threadsPerKey is a UserError naming concurrency', () => {
    const gen = independentConcurrent({ threadsPerKey: 2, keys: [1], fn: () => ({ f: 'r' }) });
    expect(() => simulate(gen, { concurrency: 3 })).toThrow(UserError);
    expect(() => simulate(gen, { concurrency: 3 })).toThrow(/concurrency 3 .* threadsPerKey 2/);
    expect(() => independentConcurrent({ threadsPerKey: 0, keys: [], fn: () => [] })).toThrow(RangeError);
  });
});
