import { describe, expect, it } from 'vitest';
import { MalformedHistoryError, UserError } from '../../harness/history/errors.js';
import type { Op } from '../../harness/history/op.js';
import { checkLinearizable, explainLinearizable, linearizableChecker } from './index.js';
import { hardRegisterHistory } from './testing/hard.js';
import { HistoryBuilder } from './testing/history-builder.js';

const register = { model: 'cas-register', initial: 0 } as const;
/** The hard histories write unique values, which the fast path decides at once: these test the search. */
const searchOnly = { ...register, fastPath: false } as const;
const check = (h: HistoryBuilder | Op[], options: Parameters<typeof checkLinearizable>[1] = register) =>
  checkLinearizable(h instanceof HistoryBuilder ? h.ops : h, options);

describe('checkLinearizable: basics', () => {
  it('accepts a sequential history and concurrent reads of either value', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 1).ok(0).invoke(0, 'read').invoke(1, 'write', 2).ok(0, 2).ok(1);
    expect((await check(h)).valid).toBe(true);
  });

  it('explains a stale read in words', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 2).ok(0).invoke(1, 'read').ok(1, 3);
    const result = await check(h);
    expect(result.valid).toBe(false);
    if (result.valid !== false) return;
    expect(result.failure.explanation).toBe('read 3 cannot follow write 2: register holds 2');
    expect(result.failure.failedOp).toMatchObject({ f: 'read', value: 3, invokeIndex: 2, completeIndex: 3 });
    expect(result.failure.lastOkOp).toMatchObject({ f: 'write', value: 2 });
    expect(result.failure.partials[0]!.steps.map((s) => [s.op.text, s.state, s.stateText])).toEqual([
      ['write 2', 2, 'register holds 2'],
    ]);
    const text = explainLinearizable(result);
    expect(text).toMatch(/^Not linearizable/);
    expect(text).toContain('read 3 cannot follow write 2: register holds 2');
  });

  it('says when the very first op is impossible', async () => {
    const result = await check(new HistoryBuilder().invoke(0, 'read').ok(0, 5));
    expect(result.valid === false && result.failure.explanation).toBe(
      'read 5 cannot be the first op: register holds 0',
    );
  });

  it('lists the ops concurrent with the failed one', async () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 0)
      .ok(0)
      .invoke(1, 'read')
      .invoke(2, 'write', 4)
      .ok(1, 3)
      .ok(2)
      .invoke(3, 'read')
      .ok(3, 4);
    const result = await check(h);
    expect(result.valid === false && result.failure.concurrent.map((o) => o.text)).toEqual(['write 4']);
  });

  it('ignores failed ops and nemesis ops', async () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 3)
      .fail(0)
      .invoke('nemesis', 'start', null)
      .ok('nemesis')
      .invoke(1, 'read')
      .ok(1, 3);
    expect((await check(h)).valid).toBe(false);
    expect((await check(new HistoryBuilder().invoke(0, 'write', 3).fail(0).invoke(1, 'read').ok(1, 0))).valid).toBe(
      true,
    );
  });
});

describe('checkLinearizable: crashed ops', () => {
  it('may take effect later than their invocation', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 5).info(0).invoke(1, 'read').ok(1, 0).invoke(1, 'read').ok(1, 5);
    expect((await check(h)).valid).toBe(true);
  });

  it('may never take effect: a crashed op never has to be linearized', async () => {
    const h = new HistoryBuilder()
      .invoke(0, 'cas', [7, 8])
      .info(0)
      .invoke(1, 'write', 1)
      .ok(1)
      .invoke(1, 'read')
      .ok(1, 1);
    expect((await check(h)).valid).toBe(true);
  });

  it('an op never completed is open like an info op', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 5).invoke(1, 'read').ok(1, 0).invoke(1, 'read').ok(1, 5);
    expect((await check(h)).valid).toBe(true);
  });

  it('cannot take effect before its invocation', async () => {
    const h = new HistoryBuilder().invoke(1, 'read').ok(1, 5).invoke(0, 'write', 5).info(0);
    expect((await check(h)).valid).toBe(false);
  });

  it('takes effect at most once: a value cannot come back', async () => {
    const h = new HistoryBuilder()
      .invoke(0, 'write', 5)
      .info(0)
      .invoke(1, 'read')
      .ok(1, 5)
      .invoke(1, 'write', 6)
      .ok(1)
      .invoke(1, 'read')
      .ok(1, 5);
    expect((await check(h)).valid).toBe(false);
  });

  it('a crashed cas that did happen explains a later read', async () => {
    const h = new HistoryBuilder().invoke(0, 'cas', [0, 3]).info(0).invoke(1, 'read').ok(1, 3);
    expect((await check(h)).valid).toBe(true);
  });
});

describe('checkLinearizable: keys', () => {
  it('checks a kv history key by key and names the invalid key', async () => {
    const h = new HistoryBuilder()
      .invoke(0, 'put', 'a', 'x')
      .ok(0)
      .invoke(1, 'put', 'b', 'y')
      .ok(1)
      .invoke(0, 'get', null, 'x')
      .ok(0, 'a')
      .invoke(1, 'get', null, 'y')
      .ok(1, 'a');
    const result = await check(h, { model: 'kv' });
    expect(result.keys).toBe(2);
    expect(result.valid === false && result.failure.key).toBe('y');
    expect(result.valid === false && result.failure.explanation).toBe(
      'key "y": get a cannot follow put b: key holds b',
    );
  });

  it('reads Jepsen independent tuples [key, value] for kv', async () => {
    const h = new HistoryBuilder().invoke(0, 'put', ['k', 1]).ok(0).invoke(0, 'get', ['k', null]).ok(0, ['k', 1]);
    const result = await check(h, { model: 'kv' });
    expect(result).toMatchObject({ valid: true, keys: 1 });
  });

  it('partitions any model by op.key', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 1, 'r1').ok(0).invoke(1, 'read', null, 'r2').ok(1, 0);
    expect(await check(h)).toMatchObject({ valid: true, keys: 2 });
  });

  it('answers false for an invalid key as soon as its own search ends, among keys too hard to finish', async () => {
    const ops: Op[] = [];
    // Ten keys that would take ages (2^40 configurations each) ...
    for (let k = 0; k < 10; k++) ops.push(...hardRegisterHistory(40, 1, `hard${k}`, k * 100));
    // ... and one long key, sorted last by size, that is invalid only at its end.
    const h = new HistoryBuilder();
    for (let i = 0; i < 3000; i++)
      h.invoke(5000, 'write', i, 'bad').ok(5000).invoke(5001, 'read', null, 'bad').ok(5001, i);
    h.invoke(5000, 'read', null, 'bad').ok(5000, 12345);
    ops.push(...h.ops);
    const history = ops.map((op, index) => ({ ...op, index }));
    const result = await check(history, { ...searchOnly, timeoutMs: 50_000 });
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.failure.key).toBe('bad');
    // Long evidence is cut to its tail, with the state before it.
    const partial = result.valid === false ? result.failure.partials[0]! : undefined;
    expect(partial?.steps).toHaveLength(200);
    expect(partial?.omittedSteps).toBe(6000 - 200);
    expect(partial?.stateBefore).toBe(2899);
    expect(partial?.steps.at(-1)?.op.text).toBe('read 2999');
  });
});

describe('checkLinearizable: budgets', () => {
  it('gives unknown with how far it got when the deadline passes', async () => {
    const result = await check(hardRegisterHistory(40, 1), { ...searchOnly, timeoutMs: 100 });
    expect(result.valid).toBe('unknown');
    if (result.valid !== 'unknown') return;
    expect(result.error).toBe('timed out after 100 ms');
    expect(result.furthest).toHaveLength(1);
    expect(result.furthest[0]!.of).toBe(41);
    expect(result.furthest[0]!.linearized).toBeGreaterThan(10);
    expect(result.furthest[0]!.partial!.steps).toHaveLength(result.furthest[0]!.linearized);
    expect(explainLinearizable(result)).toMatch(/^Unknown: timed out after 100 ms/);
  });

  it('gives unknown past the memory budget instead of running out of memory', async () => {
    const result = await check(hardRegisterHistory(40, -1), { ...searchOnly, memoryLimitBytes: 4 * 2 ** 20 });
    expect(result.valid).toBe('unknown');
    expect(result.valid === 'unknown' && result.error).toMatch(/^memory budget of 4 MiB exceeded/);
  });

  it('measures memory with the injected heap reading', async () => {
    let heap = 0;
    const result = await check(hardRegisterHistory(40, 1), {
      ...searchOnly,
      memoryLimitBytes: 2 ** 30,
      heapUsed: () => (heap += 2 ** 24), // grows 16 MiB per reading
    });
    expect(result).toMatchObject({ valid: 'unknown', error: 'memory budget of 1.0 GiB exceeded' });
  });

  it('gives unknown when the table reaches its maximum size, never a crash', async () => {
    const result = await check(hardRegisterHistory(40, 1), { ...searchOnly, maxTableEntries: 5000 });
    expect(result.valid).toBe('unknown');
    if (result.valid !== 'unknown') return;
    expect(result.error).toBe("the search's table reached its maximum size (5,000 entries)");
    expect(result.furthest[0]).toMatchObject({ of: 41 });
    expect(result.furthest[0]!.linearized).toBeGreaterThan(10);
  });

  it('goes on with the other keys when one fills its table: an invalid key still gives false', async () => {
    const bad = new HistoryBuilder();
    for (let i = 0; i < 3000; i++) bad.invoke(5000, 'write', i, 'bad').ok(5000);
    bad.invoke(5000, 'read', null, 'bad').ok(5000, -1);
    const history = [...hardRegisterHistory(40, 1, 'hard'), ...bad.ops].map((op, index) => ({ ...op, index }));
    const result = await check(history, { ...searchOnly, maxTableEntries: 5000 });
    expect(result.valid === false && result.failure.key).toBe('bad');
  });

  it('times out on the injected clock', async () => {
    let now = 0;
    const result = await check(hardRegisterHistory(40, 1), {
      ...searchOnly,
      timeoutMs: 1000,
      clock: () => (now += 10),
    });
    expect(result).toMatchObject({ valid: 'unknown', error: 'timed out after 1000 ms' });
    expect(now).toBeLessThan(1100); // ~100 readings: one per round of slices
  });

  it('stops with unknown when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await check(hardRegisterHistory(40, 1), { ...searchOnly, signal: controller.signal });
    expect(result).toMatchObject({ valid: 'unknown', error: 'stopped before it finished' });
    const told = await check(hardRegisterHistory(40, 1), { ...searchOnly, signal: AbortSignal.abort('shutting down') });
    expect(told).toMatchObject({ valid: 'unknown', error: 'stopped: shutting down' });
  });

  it('decides a hard invalid history when the budget allows', async () => {
    const result = await check(hardRegisterHistory(10, -1), searchOnly);
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.failure.explanation).toMatch(
      /^cas -1→-2 cannot follow write \d+: register holds \d+$/,
    );
  });

  it('decides the hard histories at once from their unique values', async () => {
    const valid = await check(hardRegisterHistory(40, 1), { ...register, timeoutMs: 1000 });
    expect(valid).toMatchObject({ valid: true, keysByUniqueValues: 1 });
    const invalid = await check(hardRegisterHistory(40, -1), { ...register, timeoutMs: 1000 });
    expect(invalid.valid === false && invalid.failure.explanation).toBe(
      'cas -1→-2 cannot be the first op: register holds 0',
    );
  });
});

describe('checkLinearizable: bad input', () => {
  it('throws UserError for an unknown model, listing the known ones', async () => {
    await expect(checkLinearizable([], { model: 'regsiter' })).rejects.toThrow(UserError);
    await expect(checkLinearizable([], { model: 'regsiter' })).rejects.toThrow(/known models: .*register/);
  });

  it('throws UserError naming a bad budget option', async () => {
    await expect(checkLinearizable([], { ...register, timeoutMs: -1 })).rejects.toThrow(/^timeoutMs: must be a number/);
    await expect(checkLinearizable([], { ...register, memoryLimitBytes: 0 })).rejects.toThrow(
      /^memoryLimitBytes: must be/,
    );
    await expect(checkLinearizable([], { ...register, maxTableEntries: 0.5 })).rejects.toThrow(
      /^maxTableEntries: must be/,
    );
  });

  it('throws MalformedHistoryError with the op index for a bad pairing or an op the model rejects', async () => {
    const unpaired = new HistoryBuilder().invoke(0, 'write', 1).ops;
    unpaired.push({ index: 1, time: 1, type: 'ok', process: 1, f: 'write', value: 1 });
    await expect(check(unpaired)).rejects.toMatchObject({ name: 'MalformedHistoryError', opIndex: 1 });
    const badCas = new HistoryBuilder().invoke(0, 'write', 1).ok(0).invoke(0, 'cas', 5).ok(0);
    const error = await check(badCas).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedHistoryError);
    expect(error).toMatchObject({ opIndex: 2, message: expect.stringMatching(/\[old, new\]/) });
  });
});

describe('linearizableChecker', () => {
  it('is a Checker whose budget options override its own', async () => {
    const checker = linearizableChecker({ ...register });
    const bad = new HistoryBuilder().invoke(0, 'read').ok(0, 1).ops;
    const result = await checker.check(bad);
    expect(result.valid).toBe(false);
    expect(result.error).toBe('read 1 cannot be the first op: register holds 0');
    const slow = await linearizableChecker(searchOnly).check(hardRegisterHistory(40, 1), { timeoutMs: 50 });
    expect(slow.valid).toBe('unknown');
    expect((await checker.check(new HistoryBuilder().invoke(0, 'read').ok(0, 0).ops)).valid).toBe(true);
  });
});
