import { afterAll, describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import { KEYS_TASK, type KeysTask } from '../../checkers/linearizable/key-task.js';
import { hardRegisterHistory } from '../../checkers/linearizable/testing/hard.js';
import { HistoryBuilder } from '../../checkers/linearizable/testing/history-builder.js';
import { kvObject, simulateHistory } from '../../checkers/linearizable/testing/simulate.js';
import type { Op } from '../history/op.js';
import { seededRng } from '../history/random.js';
import { createCheckPool, workerEntry } from './pool.js';

const reindex = (ops: Op[]): Op[] => ops.map((op, index) => ({ ...op, index }));
const pool = createCheckPool({ size: 1 });
afterAll(() => pool.close());

/** The hard histories write unique values, which the fast path decides at once: these need the search. */
const searchOnly = { model: 'cas-register', initial: 0, fastPath: false, pool } as const;

describe('the check pool', () => {
  it('runs a checker task on a worker thread (TypeScript through tsx)', async () => {
    const task: KeysTask = {
      model: 'cas-register',
      modelOptions: { initial: 0 },
      keys: [
        {
          key: 'a',
          search: [
            { f: 'write', value: 1, outcome: 'ok', invokeIndex: 0, completeIndex: 1 },
            { f: 'read', value: 2, outcome: 'ok', invokeIndex: 2, completeIndex: 3 },
          ],
          paired: [0, 1].map((id) => ({
            id,
            process: id,
            f: id === 0 ? 'write' : 'read',
            value: id + 1,
            key: 'a',
            outcome: 'ok' as const,
            invokeIndex: 2 * id,
            completeIndex: 2 * id + 1,
            invokeTime: 0,
            completeTime: 1,
            node: undefined,
          })),
        },
      ],
      timeoutMs: 10_000,
      timeLeftMs: 10_000,
      memoryLimitBytes: 2 ** 28,
      maxTableEntries: undefined,
    };
    expect(await pool.run(KEYS_TASK, task)).toMatchObject({
      kind: 'invalid',
      failure: { key: 'a', explanation: 'key "a": read 2 cannot follow write 1: register holds 1' },
    });
  });

  it('rejects a task that throws or does not exist, and keeps working', async () => {
    await expect(pool.run({ ...KEYS_TASK, name: 'noSuchTask' }, {})).rejects.toThrow(/exports no function noSuchTask/);
    await expect(pool.run(KEYS_TASK, { model: 'no-such-model', keys: [] })).rejects.toThrow(/unknown model/);
    await expect(pool.run({ module: 'file:///no/such/module.js', name: 'x' }, {})).rejects.toThrow();
  });

  it('starts the tsx entry in development, the compiled worker beside compiled code', () => {
    expect(workerEntry().pathname).toMatch(/check-pool\/worker-entry\.mjs$/);
    expect(workerEntry('file:///nowhere/pool.js').pathname).toBe('/nowhere/worker-entry.mjs');
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
    const single = await checkLinearizable(history, { model: 'kv', fastPath: false });
    const parallel = await checkLinearizable(history, { model: 'kv', fastPath: false, pool, workers: true });
    expect(single.valid).toBe(true);
    expect(parallel).toMatchObject({ valid: true, keys: 6, opsChecked: single.opsChecked });

    // Break one key: a get of a value never put.
    const broken = [...history, ...new HistoryBuilder().invoke(999, 'get', null, 'k2').ok(999, 'never').ops];
    const bad = await checkLinearizable(reindex(broken), { model: 'kv', fastPath: false, pool, workers: true });
    expect(bad.valid).toBe(false);
    expect(bad.valid === false && bad.failure.key).toBe('k2');
    expect(bad.valid === false && bad.failure.explanation).toMatch(/^key "k2": get never cannot follow/);
  });

  it('hands hard keys to a worker: false from the worker while this thread has a key too hard to finish', async () => {
    const ops: Op[] = [...hardRegisterHistory(40, 1, 'huge', 8000)];
    // An invalid key that takes the search a while (below the hand-over time it would just finish here).
    ops.push(...hardRegisterHistory(14, -1, 'bad', 5000));
    let tasks = 0;
    const counted = {
      size: pool.size,
      run: (...args: Parameters<typeof pool.run>) => {
        tasks++;
        return pool.run(...args);
      },
    };
    const result = await checkLinearizable(reindex(ops), { ...searchOnly, pool: counted, timeoutMs: 50_000 });
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.failure.key).toBe('bad');
    expect(tasks).toBe(1);
  });

  it('answers false from this thread while the worker has keys too hard to finish, and stops it', async () => {
    const ops: Op[] = [];
    for (let k = 0; k < 4; k++) ops.push(...hardRegisterHistory(40, 1, `hard${k}`, k * 100));
    const h = new HistoryBuilder();
    for (let i = 0; i < 2000; i++) h.invoke(5000, 'write', i, 'bad').ok(5000);
    h.invoke(5000, 'read', null, 'bad').ok(5000, -1);
    ops.push(...h.ops);
    const result = await checkLinearizable(reindex(ops), { ...searchOnly, workers: true, timeoutMs: 50_000 });
    expect(result.valid).toBe(false);
    expect(result.valid === false && result.failure.key).toBe('bad');
    // The worker was stopped: it takes the next task at once.
    const next = await checkLinearizable(reindex(hardRegisterHistory(12, -1, 'k')), { ...searchOnly, workers: true });
    expect(next.valid).toBe(false);
  });

  it('reports unknown with the furthest progress of every key when time runs out', async () => {
    const ops: Op[] = [];
    for (let k = 0; k < 4; k++) ops.push(...hardRegisterHistory(40, 1, `hard${k}`, k * 100));
    const result = await checkLinearizable(reindex(ops), { ...searchOnly, timeoutMs: 1500 });
    expect(result.valid).toBe('unknown');
    if (result.valid !== 'unknown') return;
    expect(result.error).toBe('timed out after 1500 ms');
    expect(result.furthest.map((f) => f.key).sort()).toEqual(['hard0', 'hard1', 'hard2', 'hard3']);
  });

  it('searches here what a pool without workers cannot take', async () => {
    const none = createCheckPool({ size: 0 });
    const ops: Op[] = [];
    for (let k = 0; k < 2; k++) ops.push(...hardRegisterHistory(10, -1, `k${k}`, k * 100));
    const result = await checkLinearizable(reindex(ops), { ...searchOnly, pool: none, workers: true });
    expect(result.valid).toBe(false);
    await none.close();
  });
});
