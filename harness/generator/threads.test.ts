import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { any } from './choice.js';
import type { Generator } from './generator.js';
import { limit, repeat } from './limits.js';
import { simulate } from './simulate.js';
import { clients, eachThread, nemesis, reserve } from './threads.js';

const read = () => ({ f: 'r' });
const threadOf = (concurrency: number) => (o: Op) => (o.process === 'nemesis' ? 'nemesis' : o.process % concurrency);

describe('clients / nemesis', () => {
  it('clients() never uses the nemesis thread; nemesis() only it', () => {
    const r = simulate(
      limit(
        100,
        any(
          clients(read),
          nemesis(() => ({ f: 'fault' })),
        ),
      ),
      {
        concurrency: 3,
        nemesis: true,
        seed: 4,
      },
    );
    for (const o of r.invocations) {
      if (o.f === 'r') expect(o).toMatchObject({ type: 'invoke', process: expect.any(Number) });
      else expect(o).toMatchObject({ type: 'info', process: 'nemesis', f: 'fault' });
    }
    expect(r.invocations.some((o) => o.f === 'fault')).toBe(true);
    expect(r.invocations.some((o) => o.f === 'r')).toBe(true);
  });

  it('nemesis() is done at once when the test has no nemesis', () => {
    const r = simulate([nemesis({ f: 'fault' }), { f: 'after' }], { concurrency: 2 });
    expect(r.invocations.map((o) => o.f)).toEqual(['after']);
  });

  it('only events of its own threads reach the routed generator', () => {
    const seen: Op[] = [];
    const spy = (inner: Generator): Generator => ({
      op: (ctx) => {
        const s = inner.op(ctx);
        return s.kind === 'done' ? s : { ...s, next: spy(s.next) };
      },
      update: (ctx, e) => {
        seen.push(e);
        return spy(inner.update(ctx, e));
      },
    });
    simulate(any(clients(spy(limit(3, read))), nemesis({ f: 'fault' })), { concurrency: 2, nemesis: true });
    expect(seen.length).toBe(6); // 3 invocations + 3 completions
    expect(seen.every((e) => e.process !== 'nemesis')).toBe(true);
  });
});

describe('eachThread', () => {
  it('gives every thread its own copy', () => {
    const r = simulate(clients(eachThread([{ f: 'a' }, { f: 'b' }])), { concurrency: 3, nemesis: true });
    const byThread = new Map<unknown, string[]>();
    for (const o of r.invocations) byThread.set(o.process, [...(byThread.get(o.process) ?? []), o.f]);
    expect([...byThread.keys()].sort()).toEqual([0, 1, 2]);
    for (const fs of byThread.values()) expect(fs).toEqual(['a', 'b']);
  });

  it('a copy continues on the fresh process after an info', () => {
    const r = simulate(eachThread(repeat(3, read)), {
      concurrency: 2,
      respond: (op) => ((op.process as number) % 2 === 0 ? { type: 'info' } : {}),
    });
    expect(r.invocations.filter((o) => threadOf(2)(o) === 0).map((o) => o.process)).toEqual([0, 2, 4]);
  });
});

describe('reserve', () => {
  it('splits threads into ranges and the rest', () => {
    const r = simulate(clients(reserve(2, repeat(20, { f: 'w' }), 1, repeat(20, { f: 'c' }), repeat(20, { f: 'r' }))), {
      concurrency: 5,
      nemesis: true,
      seed: 1,
    });
    const t = threadOf(5);
    for (const o of r.invocations) {
      const thread = t(o) as number;
      expect(o.f).toBe(thread < 2 ? 'w' : thread < 3 ? 'c' : 'r');
    }
    expect(r.invocations).toHaveLength(60);
  });

  it('rejects arguments that do not alternate count, generator', () => {
    expect(() => reserve(2, read)).toThrow(TypeError);
    expect(() => reserve(read, 2, read)).toThrow(TypeError);
  });
});
