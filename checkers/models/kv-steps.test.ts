import { describe, expect, it } from 'vitest';
import type { Json } from '../../harness/history/op.js';
import { kvStateSteps } from './kv-steps.js';
import type { ModelOp } from './model.js';

const ok = (f: string, value?: Json): ModelOp => ({ f, value, outcome: 'ok' });

describe('kv state steps (the fast path view of kv ops)', () => {
  it('names each state by its base and the tokens appended since', () => {
    const steps = kvStateSteps(
      [ok('put', 'p'), ok('append', 'a'), ok('append', 'b'), ok('get', 'pab'), ok('get', 'pa'), ok('get', 'p')],
      null,
    );
    expect(steps).toBeDefined();
    const [put, a, b, pab, pa, p] = steps!.steps;
    expect(put).toEqual({ kind: 'write', to: 1 });
    expect(p).toEqual({ kind: 'read', state: 1 });
    expect(a).toMatchObject({ kind: 'append', from: 1 });
    expect(pa).toEqual({ kind: 'read', state: (a as { to: number }).to });
    expect(b).toMatchObject({ kind: 'append', from: (a as { to: number }).to });
    expect(pab).toEqual({ kind: 'read', state: (b as { to: number }).to });
  });

  it('starts from the absent key (null) or the initial string', () => {
    const absent = kvStateSteps([ok('append', 'x'), ok('get', 'x'), ok('get', null), ok('get', '')], null)!;
    expect(absent.steps[0]).toMatchObject({ kind: 'append', from: 0 });
    expect(absent.steps[2]).toEqual({ kind: 'read', state: 0 });
    // "" is not the absent key, and nothing makes it: a state of its own that no op writes.
    const empty = absent.steps[3] as { state: number };
    expect([0, (absent.steps[0] as { to: number }).to]).not.toContain(empty.state);
    const initial = kvStateSteps([ok('get', ''), ok('append', 'x'), ok('get', 'x')], '')!;
    expect(initial.steps[0]).toEqual({ kind: 'read', state: 0 });
    expect(initial.steps[1]).toMatchObject({ kind: 'append', from: 0 });
  });

  it('makes an append no get saw a write of a state nobody reads', () => {
    const steps = kvStateSteps([ok('put', 'p'), ok('append', 'a'), ok('get', 'p')], null)!;
    expect(steps.steps[1]).toMatchObject({ kind: 'write' });
    expect((steps.steps[1] as { to: number }).to).not.toBe(1);
  });

  it('reads a state nobody makes for a string no history can produce', () => {
    for (const get of ['pba', 'paa', 'q', 'pa!']) {
      const steps = kvStateSteps(
        [ok('put', 'p'), ok('append', 'a'), ok('append', 'b'), ok('get', 'pab'), ok('get', get)],
        null,
      )!;
      const made = new Set(steps.steps.flatMap((s) => (s.kind === 'read' ? [] : [s.to])));
      expect(made.has((steps.steps[4] as { state: number }).state)).toBe(false);
    }
  });

  it('gives up (the key is searched) when values repeat or a string splits two ways', () => {
    expect(kvStateSteps([ok('put', 'p'), ok('put', 'p')], null)).toBeUndefined();
    expect(kvStateSteps([ok('append', 'a'), ok('append', 'a')], null)).toBeUndefined();
    expect(kvStateSteps([ok('put', 3)], null)).toBeUndefined();
    expect(kvStateSteps([ok('put', '')], '')).toBeUndefined();
    expect(kvStateSteps([ok('get', 'x')], 5)).toBeUndefined();
    // "ab" is the put "ab", or the put "a" then the append "b".
    expect(kvStateSteps([ok('put', 'a'), ok('put', 'ab'), ok('append', 'b'), ok('get', 'ab')], null)).toBeUndefined();
    // A put of "" and the absent key both start "x".
    expect(kvStateSteps([ok('put', ''), ok('append', 'x'), ok('get', 'x')], null)).toBeUndefined();
  });
});
