import { describe, expect, it } from 'vitest';
import { andThen, fromFn, nothing, once, sequence, toGen } from './core.js';
import { limit } from './limits.js';
import { simulate } from './simulate.js';

const fs = (ops: { f: string }[]) => ops.map((o) => o.f);

describe('op templates', () => {
  it('an object is emitted once, as an invoke on a client thread', () => {
    const r = simulate(toGen({ f: 'read', value: 1 }), { concurrency: 2 });
    expect(r.invocations).toHaveLength(1);
    expect(r.invocations[0]).toMatchObject({ type: 'invoke', f: 'read', value: 1, time: 0 });
    expect(r.history[1]).toMatchObject({ type: 'ok', f: 'read', value: 1, time: 1_000_000 });
    expect(r.stopped).toBe('done');
  });

  it('a template lands on any free thread: on the nemesis thread it is an info op of process "nemesis"', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const op = simulate(once({ f: 'start' }), { concurrency: 1, nemesis: true, seed }).invocations[0]!;
      expect([JSON.stringify([op.type, op.process])]).toContain(
        op.process === 'nemesis' ? '["info","nemesis"]' : '["invoke",0]',
      );
      kinds.add(op.type);
    }
    expect(kinds).toEqual(new Set(['info', 'invoke'])); // hence route with clients() / nemesis()
  });

  it('a function is called for every op until it returns undefined', () => {
    let n = 0;
    const r = simulate(
      fromFn(() => (n < 5 ? { f: 'w', value: n++ } : undefined)),
      { concurrency: 3 },
    );
    expect(r.invocations.map((o) => o.value)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a function template gets ctx.rng, so values follow the seed', () => {
    const run = (seed: number) =>
      simulate(
        limit(20, (_ctx, rng) => ({ f: 'w', value: rng.int(1000) })),
        { concurrency: 2, seed },
      ).invocations.map((o) => o.value);
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('spreads template ops over the free threads', () => {
    const r = simulate(
      limit(200, () => ({ f: 'r' })),
      { concurrency: 4 },
    );
    expect(new Set(r.invocations.map((o) => o.process))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('rejects things that are not generators', () => {
    expect(() => toGen(42 as never)).toThrow(TypeError);
    expect(() => toGen({ g: 'x' } as never)).toThrow(/not a generator/);
  });
});

describe('sequence / andThen', () => {
  it('runs generators one after another, arrays included', () => {
    const r = simulate(sequence({ f: 'a' }, [{ f: 'b' }, { f: 'c' }], nothing, { f: 'd' }), { concurrency: 1 });
    expect(fs(r.invocations)).toEqual(['a', 'b', 'c', 'd']);
  });

  it("andThen(a, b) does not wait for a's ops to finish", () => {
    const r = simulate(andThen({ f: 'a' }, { f: 'b' }), { concurrency: 2 });
    expect(fs(r.invocations)).toEqual(['a', 'b']);
    expect(r.invocations[1]!.time).toBe(0);
  });
});
