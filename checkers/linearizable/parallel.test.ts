import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/history/op.js';
import { seededRng } from '../../harness/history/random.js';
import type { KeyOps } from './evidence.js';
import { checkLinearizable } from './index.js';
import { balance, runInWorker } from './parallel.js';
import { hardRegisterHistory } from './testing/hard.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { kvObject, simulateHistory } from './testing/simulate.js';

const reindex = (ops: Op[]): Op[] => ops.map((op, index) => ({ ...op, index }));

describe('checking keys on worker threads', () => {
  it('balances keys into groups of about equal op counts', () => {
    const key = (n: number): KeyOps => ({ key: n, search: new Array(n).fill({}), paired: [] });
    const groups = balance([key(10), key(7), key(5), key(3), key(2)], 2);
    expect(groups.map((g) => g.reduce((sum, k) => sum + k.search.length, 0)).sort()).toEqual([13, 14]);
  });

  it('starts a worker thread (TypeScript through tsx) that searches its keys', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 1, 'a').ok(0).invoke(1, 'read', null, 'a').ok(1, 2);
    const keys: KeyOps[] = [
      {
        key: 'a',
        paired: [],
        search: h.ops
          .filter((op) => op.type === 'invoke')
          .map((op, i) => ({
            f: op.f,
            value: i === 0 ? 1 : 2,
            outcome: 'ok' as const,
            invokeIndex: op.index,
            completeIndex: op.index + 1,
          })),
      },
    ];
    keys[0]!.paired = keys[0]!.search.map((op, id) => ({
      ...op,
      id,
      node: undefined,
      process: id,
      key: 'a',
      invokeTime: 0,
      completeTime: 1,
    }));
    const { outcome } = runInWorker({
      modelName: 'cas-register',
      modelOptions: { initial: 0 },
      keys,
      timeLeftMs: 10_000,
      timeoutMs: 10_000,
      memoryLimitBytes: 2 ** 28,
    });
    const result = await outcome;
    expect(result).not.toBeInstanceOf(Error);
    expect(result).toMatchObject({
      kind: 'invalid',
      failure: { key: 'a', explanation: 'key "a": read 2 cannot follow write 1: register holds 1' },
    });
  });

  it('gives the same verdicts as one thread', async () => {
    const random = seededRng(3);
    const history = simulateHistory({
      object: kvObject(6),
      clients: 10,
      ops: 3000,
      crashRate: 0.05,
      random: random.next,
    });
    const single = await checkLinearizable(history, { model: 'kv', workers: false });
    const parallel = await checkLinearizable(history, { model: 'kv', workers: true });
    expect(single.valid).toBe(true);
    expect(parallel).toMatchObject({ valid: true, keys: 6, opsChecked: single.opsChecked });

    // Break one key: a get of a value never put.
    const broken = [...history, ...new HistoryBuilder().invoke(999, 'get', null, 'k2').ok(999, 'never').ops];
    const bad = await checkLinearizable(reindex(broken), { model: 'kv', workers: true });
    expect(bad.valid).toBe(false);
    expect(bad.valid === false && bad.failure.key).toBe('k2');
    expect(bad.valid === false && bad.failure.explanation).toMatch(/^key "k2": get never cannot follow/);
  });

  it('answers false from a worker while this thread works on a key too hard to finish', async () => {
    // The biggest key (this thread's group): 3000 easy ops, then 2^40 configurations.
    const easy = new HistoryBuilder();
    for (let i = 0; i < 1500; i++)
      easy.invoke(7000, 'write', i, 'huge').ok(7000).invoke(7000, 'read', null, 'huge').ok(7000, i);
    const ops: Op[] = [...easy.ops, ...hardRegisterHistory(40, 1, 'huge', 8000)];
    // A smaller invalid key: the worker's group.
    const h = new HistoryBuilder();
    for (let i = 0; i < 500; i++) h.invoke(5000, 'write', i, 'bad').ok(5000);
    h.invoke(5000, 'read', null, 'bad').ok(5000, -1);
    ops.push(...h.ops);
    const result = await checkLinearizable(reindex(ops), {
      model: 'cas-register',
      initial: 0,
      workers: true,
      timeoutMs: 50_000,
    });
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.failure.key).toBe('bad');
  });

  it('answers false from this thread while workers have keys too hard to finish, and stops them', async () => {
    const ops: Op[] = [];
    for (let k = 0; k < 4; k++) ops.push(...hardRegisterHistory(40, 1, `hard${k}`, k * 100));
    const h = new HistoryBuilder();
    for (let i = 0; i < 2000; i++) h.invoke(5000, 'write', i, 'bad').ok(5000);
    h.invoke(5000, 'read', null, 'bad').ok(5000, -1);
    ops.push(...h.ops);
    const result = await checkLinearizable(reindex(ops), {
      model: 'cas-register',
      initial: 0,
      workers: true,
      timeoutMs: 50_000,
    });
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.failure.key).toBe('bad');
  });

  it('reports unknown with the furthest progress of every group when time runs out', async () => {
    const ops: Op[] = [];
    for (let k = 0; k < 4; k++) ops.push(...hardRegisterHistory(40, 1, `hard${k}`, k * 100));
    const result = await checkLinearizable(reindex(ops), {
      model: 'cas-register',
      initial: 0,
      workers: true,
      timeoutMs: 300,
    });
    expect(result.valid).toBe('unknown');
    expect(result.valid === 'unknown' && result.furthest.map((f) => f.key).sort()).toEqual([
      'hard0',
      'hard1',
      'hard2',
      'hard3',
    ]);
  });
});
