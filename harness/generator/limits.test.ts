import { describe, expect, it } from 'vitest';
import { cycle, limit, repeat, timeLimit, untilOk } from './limits.js';
import { simulate } from './simulate.js';
import { delay, sleep } from './timing.js';

const fs = (ops: { f: string }[]) => ops.map((o) => o.f).join(' ');
const read = () => ({ f: 'r' });

describe('limit', () => {
  it('stops after n ops', () => {
    expect(simulate(limit(7, read), { concurrency: 3 }).invocations).toHaveLength(7);
  });
  it('ends early when the inner generator does', () => {
    expect(simulate(limit(7, [{ f: 'a' }, { f: 'b' }]), { concurrency: 3 }).invocations).toHaveLength(2);
  });
  it('limit(0) emits nothing; bad counts are rejected', () => {
    expect(simulate(limit(0, read), { concurrency: 1 }).invocations).toHaveLength(0);
    expect(() => limit(-1, read)).toThrow(RangeError);
    expect(() => limit(1.5, read)).toThrow(RangeError);
  });
});

describe('repeat', () => {
  it('repeat(n, once) emits the same op n times', () => {
    const r = simulate(repeat(4, { f: 'r', value: 1 }), { concurrency: 2 });
    expect(fs(r.invocations)).toBe('r r r r');
    expect(r.invocations.every((o) => o.value === 1)).toBe(true);
  });
  it('repeat(gen) is endless: only the first op of gen, over and over', () => {
    const r = simulate(limit(10, repeat([{ f: 'a' }, { f: 'b' }])), { concurrency: 2 });
    expect(fs(r.invocations)).toBe('a a a a a a a a a a');
  });
});

describe('cycle', () => {
  it('restarts the sequence when it is done', () => {
    const r = simulate(limit(7, cycle({ f: 'a' }, { f: 'b' }, { f: 'c' })), { concurrency: 1 });
    expect(fs(r.invocations)).toBe('a b c a b c a');
  });
  it('an empty cycle is done, not an endless loop', () => {
    expect(simulate(cycle(), { concurrency: 1 }).stopped).toBe('done');
  });
  it('includes sleeps: start and stop alternate with gaps', () => {
    const r = simulate(limit(4, cycle(sleep(2), { f: 'start' }, sleep(3), { f: 'stop' })), {
      concurrency: 1,
      latencyNs: 0,
    });
    expect(r.invocations.map((o) => [o.f, o.time / 1e9])).toEqual([
      ['start', 2],
      ['stop', 5],
      ['start', 7],
      ['stop', 10],
    ]);
  });
});

describe('timeLimit', () => {
  it('emits ops only before the deadline, counted from the first ask', () => {
    const r = simulate(timeLimit(1, delay(0.1, read)), { concurrency: 2, latencyNs: 0 });
    expect(r.invocations).toHaveLength(10);
    expect(Math.max(...r.invocations.map((o) => o.time))).toBeLessThan(1e9);
    expect(r.stopped).toBe('done');
  });
  it('ends at the deadline even when the inner generator is pending (wake-up hint)', () => {
    // one thread, one op that takes 10 s: the generator is pending all the time
    const r = simulate(timeLimit(1, read), { concurrency: 1, latencyNs: 10e9 });
    expect(r.invocations).toHaveLength(1);
    expect(r.endTime).toBe(10e9);
    const step = timeLimit(1, read).op({
      time: 0,
      threads: [0],
      freeThreads: [],
      process: () => 0,
      thread: () => 0,
      rng: { next: () => 0, int: () => 0 },
    });
    expect(step).toMatchObject({ kind: 'pending', wakeAt: 1e9 });
  });
  it('waits out the deadline when the next op would come at or after it', () => {
    // What follows starts at the deadline, not early: a slow nemesis schedule
    // must not cut the clients' time short.
    const r = simulate([timeLimit(2.5, delay(1, read)), { f: 'after' }], { concurrency: 1, latencyNs: 0 });
    expect(r.invocations.map((o) => [o.f, o.time / 1e9])).toEqual([
      ['r', 0],
      ['r', 1],
      ['r', 2],
      ['after', 2.5],
    ]);
  });
});

describe('untilOk', () => {
  it('retries until an op completes ok, then is done', () => {
    const r = simulate([untilOk(() => ({ f: 'read' })), { f: 'after' }], {
      concurrency: 1,
      respond: (op) => ({ type: op.index < 6 ? 'fail' : 'ok' }),
    });
    expect(fs(r.invocations)).toBe('read read read read after');
    expect(r.history.filter((o) => o.f === 'read' && o.type !== 'invoke').map((o) => o.type)).toEqual([
      'fail',
      'fail',
      'fail',
      'ok',
    ]);
  });
  it('fail and info completions do not stop it', () => {
    const r = simulate(
      limit(
        6,
        untilOk(() => ({ f: 'read' })),
      ),
      { concurrency: 1, respond: () => ({ type: 'info' }) },
    );
    expect(r.invocations).toHaveLength(6);
  });
});
