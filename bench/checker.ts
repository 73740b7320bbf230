/**
 * Linearizability checker benchmark: total check time and peak memory on
 * generated histories that resemble real ones, and on the shipped Knossos
 * histories.
 *
 * Reference (Porcupine, Go, on this 2-core machine): 102 real etcd
 * cas-register histories of set (1)'s shape in ~0.8 s total (hardest ~260 ms);
 * a real 50-client 10-key 1,700-op kv history (set (6)'s shape) in 130–175 ms
 * when valid, 15–45 ms when invalid. Goal: at most half of that.
 *
 * Side by side (2026-12-02, CPU ms, best of 3, the same (6)/(6c) histories):
 * a Go reproduction of Porcupine's search (its checkSingle loop: WGL with a
 * (bitset, state) cache, one goroutine per key, stop at the first bad key;
 * written for this measurement, kept outside the repository) against
 * faultline single-threaded, general search only / default (fast path on):
 *   valid seeds 11 12 13 15 16:   Porcupine 1788 2990 294 2014 32;
 *                                 search 193 243 61 240 18; default 13 14 4.7 5.0 4.4
 *   valid seeds 14, 2:            Porcupine no answer in 100 s; search unknown at 30 s; default 15.6, 8.7
 *   (6c) seed 2, (7) seed 21:     Porcupine no answer in 100 s; default valid in 19.3 s, and 5.7 ms
 *   invalid seeds 11..16, 2:      Porcupine 92 568 500 8.5 13.6 40.5 43.7;
 *                                 search 83 129 159 2.5 14.5 23 36.5; default 4.1 15 5.3 4.6 2.5 3.0 2.0
 *   (6c) non-unique puts 11..16:  Porcupine 55 198 1992 134 18620 66; search 32 34 136 62 640 32
 * These generated histories are harder than the real 6.824 one behind the
 * 130–175 ms figure (Porcupine takes 0.3–3 s on most valid ones).
 *
 * Rows marked "search only" turn the unique-value fast path off, to compare
 * the general search with what it was before the fast path. The machine is
 * shared: the CPU figures are steadier than the wall-clock ones.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { checkLinearizable, type LinearizableOptions } from '../checkers/linearizable/index.js';
import { KEYS_TASK, type KeysTask } from '../checkers/linearizable/key-task.js';
import { type KvHistoryOptions, kvHistory } from '../checkers/linearizable/testing/kv-history.js';
import { casRegisterObject, kvObject, simulateHistory } from '../checkers/linearizable/testing/simulate.js';
import { createCheckPool, workerEntry } from '../harness/check-pool/pool.js';
import { seededRng } from '../harness/generator/rng.js';
import type { Op } from '../harness/history/op.js';
import { readHistoryFile } from '../harness/history/read.js';

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

let peakHeap = 0;
/** JS heap and typed arrays (the search's tables are typed arrays, outside the JS heap). */
const sampleHeap = (): void => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  peakHeap = Math.max(peakHeap, heapUsed + arrayBuffers);
};

async function timeSet(name: string, items: { history: Op[]; options: LinearizableOptions }[]): Promise<void> {
  global.gc?.();
  peakHeap = 0;
  const sampler = setInterval(sampleHeap, 5);
  const verdicts = new Map<string, number>();
  const times: number[] = [];
  let ops = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (const { history, options } of items) {
    const t = performance.now();
    const result = await checkLinearizable(history, options);
    times.push(performance.now() - t);
    sampleHeap();
    ops += result.opsChecked;
    verdicts.set(String(result.valid), (verdicts.get(String(result.valid)) ?? 0) + 1);
  }
  const total = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${name}: ${items.length} histories, ${ops} ops, total ${total.toFixed(1)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms), ` +
      `median ${median.toFixed(1)} ms, slowest ${times.at(-1)!.toFixed(1)} ms, ` +
      `verdicts ${[...verdicts].map(([v, n]) => `${v}×${n}`).join(' ')}, peak heap ${mib(peakHeap)}, peak RSS so far ${mib(process.resourceUsage().maxRSS * 1024)}`,
  );
}

/** The same items checked by the general search alone (the fast path off), to compare with before it existed. */
const searchOnly = (items: { history: Op[]; options: LinearizableOptions }[]) =>
  items.map(({ history, options }) => ({ history, options: { ...options, fastPath: false } }));

/** How long a pool worker takes to start and run a trivial task, cold and then warm. */
async function timeWorkerStart(): Promise<void> {
  const pool = createCheckPool({ size: 1 });
  const task: KeysTask = {
    model: 'kv',
    modelOptions: {},
    keys: [],
    timeoutMs: undefined,
    timeLeftMs: undefined,
    memoryLimitBytes: 2 ** 28,
    maxTableEntries: undefined,
  };
  const times: string[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await pool.run(KEYS_TASK, task);
    times.push(`${(performance.now() - t).toFixed(1)} ms`);
  }
  await pool.close();
  console.log(
    `(8) pool worker (${workerEntry().pathname.split('/').pop()}): first task ${times[0]}, then ${times.slice(1).join(', ')}`,
  );
}

export async function run(): Promise<void> {
  await timeWorkerStart();
  const pool = createCheckPool();
  const random = seededRng(42);
  const cas = Array.from({ length: 100 }, () => ({
    history: simulateHistory({
      object: casRegisterObject(0),
      clients: 5,
      ops: 80,
      crashRate: 0.1,
      random: random.next,
    }),
    options: { model: 'cas-register', initial: 0 },
  }));
  await timeSet('(1) cas-register, 5 clients, ~80 ops, 10% crashed', cas);
  const casHarder = Array.from({ length: 100 }, () => ({
    history: simulateHistory({
      object: casRegisterObject(0),
      clients: 5,
      ops: 80,
      crashRate: 0.3,
      random: random.next,
    }),
    options: { model: 'cas-register', initial: 0 },
  }));
  await timeSet('(1b) the same with 30% crashed', casHarder);
  const casLong = Array.from({ length: 10 }, () => ({
    history: simulateHistory({
      object: casRegisterObject(0),
      clients: 5,
      ops: 1000,
      crashRate: 0.1,
      random: random.next,
    }),
    options: { model: 'cas-register', initial: 0 },
  }));
  await timeSet('(1c) cas-register, 5 clients, 1,000 ops, 10% crashed', casLong);

  for (const clients of [1, 10, 50]) {
    const history = simulateHistory({ object: kvObject(10), clients, ops: 1700, crashRate: 0.05, random: random.next });
    await timeSet(`(2) kv, ${clients} clients, 10 keys`, [{ history, options: { model: 'kv' } }]);
    await timeSet(`(2) the same, search only`, searchOnly([{ history, options: { model: 'kv' } }]));
  }

  const big = simulateHistory({
    object: kvObject(10),
    clients: 50,
    ops: 100_000,
    crashRate: 0.02,
    random: random.next,
  });
  await timeSet('(3) kv, 50 clients, 10 keys, 100,000 ops (goal ≤10 s, ≤1 GiB), one thread', [
    { history: big, options: { model: 'kv', timeoutMs: 60_000, memoryLimitBytes: 2 ** 30, workers: false } },
  ]);
  const bigOptions = { model: 'kv', timeoutMs: 60_000, memoryLimitBytes: 2 ** 30 };
  await timeSet('(3) the same, search only, one thread', searchOnly([{ history: big, options: bigOptions }]));
  await timeSet('(3) the same, search only, on the pool too (both cores)', [
    { history: big, options: { ...bigOptions, fastPath: false, pool, workers: true } },
  ]);

  // Stress, beyond the goals: every client on one key. Puts and gets only, then with appends.
  const oneKey = simulateHistory({
    object: kvObject(1),
    clients: 20,
    ops: 10_000,
    crashRate: 0.05,
    random: random.next,
  });
  await timeSet('(5) stress: kv, 20 clients, ONE key, 10,000 ops with appends (timeout 10 s)', [
    { history: oneKey, options: { model: 'kv', timeoutMs: 10_000 } },
  ]);
  await timeSet(
    '(5) the same, search only',
    searchOnly([{ history: oneKey, options: { model: 'kv', timeoutMs: 10_000 } }]),
  );

  // Like real many-client kv histories (6.824-style, what Porcupine is measured on): 50 clients, 10 keys,
  // get/put/append of unique string tokens, ~30 ops overlapping. Porcupine: 130–175 ms valid, 15–45 ms invalid.
  const realistic = (invalid: boolean, extra: Partial<KvHistoryOptions> = {}) =>
    [11, 12, 13, 14, 15, 16].map((seed) => ({
      history: kvHistory({ seed, clients: 50, keys: 10, ops: 1700, invalid, ...extra }),
      options: { model: 'kv', initial: '', timeoutMs: 10_000 },
    }));
  await timeSet('(6) realistic kv, 50 clients, 10 keys, 1,700 ops, valid (timeout 10 s)', realistic(false));
  await timeSet('(6) the same, invalid: one stale get (timeout 10 s)', realistic(true));
  await timeSet('(6b) the same with 1% timed-out ops, valid', realistic(false, { crashRate: 0.01 }));
  await timeSet('(6c) the same, puts from 5 values (not unique), valid', realistic(false, { uniquePuts: false }));
  await timeSet('(6s) (6) valid, search only', searchOnly(realistic(false)));
  await timeSet('(6s) (6) invalid, search only', searchOnly(realistic(true)));
  await timeSet('(6s) (6b) valid with 1% timed out, search only', searchOnly(realistic(false, { crashRate: 0.01 })));
  await timeSet(
    '(6p) (6c) on the pool too',
    realistic(false, { uniquePuts: false }).map(({ history, options }) => ({ history, options: { ...options, pool } })),
  );

  // Per-key hard cases: all 50 clients on one or two keys, append-heavy. Timeout 30 s.
  const hard = [21, 22].map((seed) => ({
    history: kvHistory({ seed, clients: 50, keys: 1, ops: 600, getShare: 0.3, putShare: 0.05 }),
    options: { model: 'kv', initial: '', timeoutMs: 30_000 },
  }));
  await timeSet('(7) hard key: 50 clients, ONE key, 600 ops, 65% appends, valid (timeout 30 s)', hard);
  const hardSeed2 = realistic(false).filter((_, i) => i === 0);
  hardSeed2[0]!.history = kvHistory({ seed: 2, clients: 50, keys: 10, ops: 1700 });
  hardSeed2[0]!.options.timeoutMs = 30_000;
  await timeSet('(7b) realistic kv seed 2 (a key the search could not decide; timeout 30 s)', hardSeed2);
  await timeSet('(7s) (7) search only', searchOnly(hard));
  await timeSet('(7s) (7b) search only', searchOnly(hardSeed2));
  await timeSet(
    '(7p) (7) search only, on the pool too',
    searchOnly(hard).map((i) => ({ ...i, options: { ...i.options, pool } })),
  );

  const dir = fileURLToPath(new URL('../../shared/histories/knossos/', import.meta.url));
  const manifest = JSON.parse(await readFile(`${dir}MANIFEST.json`, 'utf8')) as {
    entries: { file: string; model: string; initial: LinearizableOptions['initial'] }[];
  };
  const knossos = await Promise.all(
    manifest.entries.map(async (e) => ({
      history: (await readHistoryFile(dir + e.file, { format: 'edn' })).history,
      options: { model: e.model, initial: e.initial, nilReadsAnyValue: true },
    })),
  );
  await timeSet('(4) shipped Knossos histories', knossos);
  await pool.close();
}
