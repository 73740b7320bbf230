import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/history/errors.js';
import type { Json } from '../../harness/history/op.js';
import { ILLEGAL, type Model, type ModelOp } from './model.js';
import { getModel, modelNames, registerModel } from './registry.js';

const ok = (f: string, value?: Json): ModelOp => ({ f, value, outcome: 'ok' });
const info = (f: string, value?: Json): ModelOp => ({ f, value, outcome: 'info' });

/** Runs ops in order; returns the final state, or the index of the first illegal op. */
function run(model: Model<unknown>, ops: ModelOp[]): { state: unknown } | { illegalAt: number; why: string } {
  let state = model.init();
  for (const [i, op] of ops.entries()) {
    const next = model.step(state, op);
    if (next === ILLEGAL) return { illegalAt: i, why: model.whyIllegal(state, op) };
    state = next;
  }
  return { state };
}

describe('register', () => {
  const model = getModel('register', { initial: 0 });
  it('reads what was written last', () => {
    expect(run(model, [ok('read', 0), ok('write', 2), ok('read', 2)])).toEqual({ state: 2 });
    expect(run(model, [ok('write', 2), ok('read', 3)])).toEqual({ illegalAt: 1, why: 'register holds 2' });
  });
  it('treats a nil read as a real null unless nilReadsAnyValue', () => {
    expect(run(model, [ok('read', null)])).toMatchObject({ illegalAt: 0 });
    const knossos = getModel('register', { initial: 0, nilReadsAnyValue: true });
    expect(run(knossos, [ok('read', null)])).toEqual({ state: 0 });
    expect(knossos.isNoop?.(ok('read', null))).toBe(true);
    expect(model.isNoop?.(ok('read', null))).toBe(false);
  });
  it('drops reads with unknown results and rejects unknown operations', () => {
    expect(model.isNoop?.(info('read', null))).toBe(true);
    expect(() => model.validate?.(ok('cas', [0, 1]))).toThrow(/unknown f "cas"/);
  });
  it('compares structured values by content', () => {
    const m = getModel('register', { initial: { a: 1, b: 2 } });
    expect(run(m, [ok('read', { b: 2, a: 1 })])).toEqual({ state: { a: 1, b: 2 } });
    expect(m.stateKey(5)).not.toBe(m.stateKey('5'));
  });
});

describe('cas-register', () => {
  const model = getModel('cas-register', { initial: 0 });
  it('applies a cas only when the register holds the old value', () => {
    expect(run(model, [ok('cas', [0, 1]), ok('read', 1), ok('cas', [1, 4])])).toEqual({ state: 4 });
    expect(run(model, [ok('write', 3), ok('cas', [0, 1])])).toEqual({ illegalAt: 1, why: 'register holds 3' });
  });
  it('describes ops and rejects a malformed cas', () => {
    expect(model.describeOp(ok('cas', [1, 2]))).toBe('cas 1→2');
    expect(model.describeState(3)).toBe('register holds 3');
    expect(() => model.validate?.(ok('cas', 1))).toThrow(/\[old, new\]/);
  });
});

describe('multi-register', () => {
  const model = getModel('multi-register', { initial: { x: 0, y: 0 } });
  it('applies micro-ops in order and checks reads', () => {
    const txn = ok('txn', [
      ['write', 'x', 1],
      ['read', 'x', 1],
      ['read', 'y', 0],
    ]);
    expect(run(model, [txn])).toEqual({ state: { x: 1, y: 0 } });
    const bad = run(model, [ok('txn', [['write', 'y', 2]]), ok('txn', [['read', 'y', 3]])]);
    expect(bad).toEqual({ illegalAt: 1, why: 'read of y=3 but y holds 2' });
  });
  it('never mutates the state it was given', () => {
    const s0 = model.init() as Record<string, Json>;
    model.step(s0, ok('txn', [['write', 'x', 9]]));
    expect(s0).toEqual({ x: 0, y: 0 });
  });
  it('treats nil micro-reads as unconstrained only with nilReadsAnyValue', () => {
    const knossos = getModel('multi-register', { initial: { x: 0 }, nilReadsAnyValue: true });
    expect(run(knossos, [ok('txn', [['read', 'x', null]])])).toEqual({ state: { x: 0 } });
    expect(run(model, [ok('txn', [['read', 'x', null]])])).toMatchObject({ illegalAt: 0 });
    expect(() => model.validate?.(ok('txn', [['incr', 'x', 1]]))).toThrow(/read\|write/);
  });
});

describe('mutex', () => {
  const model = getModel('mutex');
  it('allows acquire/release in turn only', () => {
    expect(run(model, [ok('acquire'), ok('release'), ok('acquire')])).toEqual({ state: true });
    expect(run(model, [ok('acquire'), ok('acquire')])).toEqual({ illegalAt: 1, why: 'the lock is already held' });
    expect(run(model, [ok('release')])).toEqual({ illegalAt: 0, why: 'the lock is not held' });
  });
});

describe('set', () => {
  const model = getModel('set');
  it('reads exactly the elements added, in any order', () => {
    expect(run(model, [ok('add', 1), ok('add', 2), ok('read', [2, 1]), ok('add', 1), ok('read', [1, 2])])).toEqual({
      state: ['1', '2'],
    });
    const bad = run(model, [ok('add', 1), ok('read', [1, 3])]);
    expect(bad).toMatchObject({ illegalAt: 1 });
    expect((bad as { why: string }).why).toMatch(/3, never added/);
    expect(model.stateJson(model.init())).toEqual([]);
  });
});

describe('fifo-queue', () => {
  const model = getModel('fifo-queue');
  it('dequeues in order; null means empty', () => {
    expect(
      run(model, [ok('enqueue', 1), ok('enqueue', 2), ok('dequeue', 1), ok('dequeue', 2), ok('dequeue', null)]),
    ).toEqual({ state: [] });
    expect(run(model, [ok('enqueue', 1), ok('enqueue', 2), ok('dequeue', 2)])).toMatchObject({
      illegalAt: 2,
      why: 'the queue holds [1, 2]: the next element is 1',
    });
    expect(run(model, [ok('enqueue', 1), ok('dequeue', null)])).toMatchObject({ illegalAt: 1 });
  });
  it('an open dequeue takes the oldest element', () => {
    expect(run(model, [ok('enqueue', 1), ok('enqueue', 2), info('dequeue', null), ok('dequeue', 2)])).toEqual({
      state: [],
    });
  });
});

describe('unordered-queue', () => {
  const model = getModel('unordered-queue', { initial: [7] });
  it('dequeues any present element once', () => {
    expect(run(model, [ok('enqueue', 1), ok('dequeue', 1), ok('dequeue', 7), ok('dequeue', null)])).toEqual({
      state: [],
    });
    expect(run(model, [ok('dequeue', 7), ok('dequeue', 7)])).toEqual({ illegalAt: 1, why: 'the queue is empty' });
    expect(model.isNoop?.(info('dequeue', null))).toBe(true);
  });
});

describe('kv', () => {
  const model = getModel('kv');
  it('partitions by op.key, or by the key of a [key, value] tuple', () => {
    expect(model.partition?.({ ...ok('put', 3), key: 'a' })).toBe('a');
    expect(model.partition?.(ok('put', ['b', 3]))).toBe('b');
    expect(model.project?.(ok('put', ['b', 3]))).toEqual(ok('put', 3));
  });
  const valueAfter = (ops: ModelOp[]): unknown => {
    const end = run(model, ops);
    return 'state' in end ? model.stateJson(end.state) : end;
  };
  it('puts, gets and appends per key', () => {
    expect(valueAfter([ok('get', null), ok('put', 'a'), ok('append', 'b'), ok('get', 'ab')])).toBe('ab');
    expect(valueAfter([ok('append', 'x'), ok('append', 'y'), ok('get', 'xy')])).toBe('xy');
    expect(run(model, [ok('put', 'x'), ok('get', 'y')])).toEqual({ illegalAt: 1, why: 'key holds x' });
    expect(() => model.validate?.(ok('put', 3))).toThrow(/needs a key/);
  });
  it('says how to read a missing key as "" when a get of "" meets an absent key', () => {
    expect(run(model, [ok('get', '')])).toEqual({ illegalAt: 0, why: expect.stringContaining(`--initial '""'`) });
    expect(run(getModel('kv', { initial: '' }), [ok('get', ''), ok('append', 'a'), ok('get', 'a')])).toMatchObject({
      state: 'a',
    });
  });
});

describe('registry', () => {
  it('lists the models and rejects unknown names with the list', () => {
    expect(modelNames()).toEqual(
      expect.arrayContaining([
        'register',
        'cas-register',
        'multi-register',
        'mutex',
        'set',
        'fifo-queue',
        'unordered-queue',
        'kv',
      ]),
    );
    expect(() => getModel('nope')).toThrow(UserError);
    expect(() => getModel('nope')).toThrow(/known models: .*cas-register/);
    expect(() => getModel('set', { initial: 3 })).toThrow(/initial must be an array/);
  });
  it('accepts a user model', () => {
    registerModel('counter', () => ({
      name: 'counter',
      init: () => 0,
      step: (n: number, op) => (op.f === 'incr' ? n + 1 : op.value === n ? n : ILLEGAL),
      whyIllegal: (n: number) => `counter is ${n}`,
      stateKey: (n: number) => n,
      stateJson: (n: number) => n,
      describeState: (n: number) => `counter is ${n}`,
      describeOp: (op) => `${op.f} ${String(op.value)}`,
    }));
    expect(run(getModel('counter'), [ok('incr'), ok('read', 1)])).toEqual({ state: 1 });
  });
});
