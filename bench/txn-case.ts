/**
 * One case of bench/txn.ts, run in a child process so that its peak memory
 * is its own: generates a list-append history (seeded), optionally plants
 * anomalies, checks it, and prints one JSON line with the figures.
 *
 *   node --max-old-space-size=4096 --expose-gc --import tsx bench/txn-case.ts '{"txns":100000,"plant":true}'
 */
import { checkListAppend } from '../checkers/list-append/index.js';
import { listStore, type MicroOp, simulateTxns } from '../checkers/txn/testing/simulate.js';
import type { Json, Op } from '../harness/history/op.js';
import { seededRng } from '../harness/history/random.js';
import { DEFAULT_KNOBS, initialPool, nextTxn } from '../workloads/txn/keys.js';

export interface CaseInput {
  txns: number;
  /** Plant stale reads, aborted reads and write skews. */
  plant: boolean;
  seed?: number;
}

export interface CaseOutput {
  txns: number;
  ops: number;
  generateMs: number;
  checkMs: number;
  checkCpuMs: number;
  rssBeforeCheckMiB: number;
  heapBeforeCheckMiB: number;
  peakRssMiB: number;
  valid: string;
  anomalyTypes: string[];
  planted: { staleReads: number; abortedReads: number; writeSkews: number };
  edges: Record<string, number>;
}

/** The shape: about 4 micro-ops per transaction, keys retired after about 100 appends. */
const KNOBS = { ...DEFAULT_KNOBS, activeKeys: 10, minTxnLength: 1, maxTxnLength: 7, maxWritesPerKey: 100 };
const PLANTS_EACH = 10;

function generate(txns: number, seed: number): Op[] {
  const rng = seededRng(seed);
  let pool = initialPool(KNOBS);
  return simulateTxns({
    store: listStore(),
    nextTxn: () => {
      const next = nextTxn(pool, rng, KNOBS, 'append');
      pool = next.pool;
      return next.mops as MicroOp[];
    },
    clients: 30,
    txns,
    failRate: 0,
    infoRate: 0.1,
    random: rng.next,
  });
}

/**
 * Plants anomalies in place: stale reads (a read drops its last element,
 * appended by a transaction that completed before the reader was invoked),
 * aborted reads (the appender of an element someone else read is recorded
 * as failed) and write skews (pairs of concurrent transactions on fresh keys
 * at the end). Linear in the history.
 */
function plant(history: Op[], seed: number): CaseOutput['planted'] {
  const rng = seededRng(seed ^ 0x9e3779b9);
  // Sample reads of ok transactions whose list is not empty.
  const reads: { op: Op; mop: MicroOp }[] = [];
  for (let tries = 0; reads.length < PLANTS_EACH * 20 && tries < history.length; tries++) {
    const op = history[rng.int(history.length)]!;
    if (op.type !== 'ok') continue;
    const mops = op.value as MicroOp[];
    const mop = mops.find(
      (m) => m[0] === 'r' && (m[2] as Json[]).length > 0 && mops.filter((x) => x[1] === m[1]).length === 1,
    );
    if (mop && !reads.some((r) => r.op === op)) reads.push({ op, mop });
  }
  // One pass: who appended each sampled read's last element (its invocation and ok completion), and each reader's invocation.
  const wanted = new Map(reads.map((r) => [`${r.mop[1]}/${(r.mop[2] as Json[]).at(-1)}`, r]));
  const appender = new Map<string, { invoke: Op; ok: Op }>();
  const readerInvoke = new Map<Op, number>();
  const invokes = new Map<Op['process'], Op>();
  const readOps = new Set(reads.map((r) => r.op));
  for (const op of history) {
    if (op.type === 'invoke') invokes.set(op.process, op);
    if (op.type !== 'ok') continue;
    if (readOps.has(op)) readerInvoke.set(op, invokes.get(op.process)!.index);
    for (const [f, k, v] of op.value as MicroOp[]) {
      const id = `${k}/${v}`;
      if (f === 'append' && wanted.has(id)) appender.set(id, { invoke: invokes.get(op.process)!, ok: op });
    }
  }
  let staleReads = 0;
  let abortedReads = 0;
  const failed = new Set<Op>();
  for (const r of reads) {
    const w = appender.get(`${r.mop[1]}/${(r.mop[2] as Json[]).at(-1)}`);
    if (!w || w.ok === r.op) continue;
    if (staleReads < PLANTS_EACH && w.ok.index < readerInvoke.get(r.op)! && !failed.has(w.ok)) {
      r.mop[2] = (r.mop[2] as Json[]).slice(0, -1);
      staleReads++;
    } else if (abortedReads < PLANTS_EACH && !failed.has(w.ok)) {
      (w.ok as { type: string }).type = 'fail';
      w.ok.value = w.invoke.value;
      failed.add(w.ok);
      abortedReads++;
    }
  }
  for (let i = 0; i < PLANTS_EACH; i++) {
    const [a, b, p, q] = [`skew-a${i}`, `skew-b${i}`, 100_000_000 + 2 * i, 100_000_001 + 2 * i];
    const add = (op: Omit<Op, 'index' | 'time'>): void => {
      history.push({ ...op, index: history.length, time: history.length * 1000 } as Op);
    };
    add({
      type: 'invoke',
      process: p,
      f: 'txn',
      value: [
        ['r', a, null],
        ['append', b, 1],
      ],
    });
    add({
      type: 'invoke',
      process: q,
      f: 'txn',
      value: [
        ['r', b, null],
        ['append', a, 1],
      ],
    });
    add({
      type: 'ok',
      process: p,
      f: 'txn',
      value: [
        ['r', a, []],
        ['append', b, 1],
      ],
    });
    add({
      type: 'ok',
      process: q,
      f: 'txn',
      value: [
        ['r', b, []],
        ['append', a, 1],
      ],
    });
  }
  return { staleReads, abortedReads, writeSkews: PLANTS_EACH };
}

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as CaseInput;
  const seed = input.seed ?? 42;
  const started = performance.now();
  const history = generate(input.txns, seed);
  const planted = input.plant ? plant(history, seed) : { staleReads: 0, abortedReads: 0, writeSkews: 0 };
  const generateMs = performance.now() - started;
  // Collect the generator's garbage, so that the check pays only for its own.
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const result = checkListAppend(history, { memoryLimitBytes: 2 ** 40 });
  const checkMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  const output: CaseOutput = {
    txns: result.stats.txns,
    ops: history.length,
    generateMs: Math.round(generateMs),
    checkMs: Math.round(checkMs),
    checkCpuMs: Math.round((used.user + used.system) / 1000),
    rssBeforeCheckMiB: mib(before.rss),
    heapBeforeCheckMiB: mib(before.heapUsed),
    peakRssMiB: mib(process.resourceUsage().maxRSS * 1024),
    valid: String(result.valid),
    anomalyTypes: result.anomalyTypes,
    planted,
    edges: result.stats.edges,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main();
