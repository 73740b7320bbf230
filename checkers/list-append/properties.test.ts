/**
 * Properties of the list-append checker, with fast-check:
 * (a) histories of transactions run one at a time against a real in-memory
 *     store (with concurrency, failures and crashes) are strict serializable;
 * (b) the same histories with one planted anomaly are caught with that
 *     anomaly's type (or one that implies it);
 * (c) every reported cycle is a simple cycle, and each of its edges is
 *     justified by the history, re-derived here without the checker.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Op } from '../../harness/history/op.js';
import { seededRng } from '../../harness/history/random.js';
import { impliedAnomalies } from '../txn/models.js';
import type { TxnResultFields } from '../txn/result.js';
import { listStore, type MicroOp, type Random, simulateTxns } from '../txn/testing/simulate.js';
import { checkListAppend } from './index.js';

/** Random small transactions over a few keys: reads and appends of unique values. */
function txnMaker(keys: number): (random: Random) => MicroOp[] {
  let next = 1;
  return (random) =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, (): MicroOp => {
      const key = Math.floor(random() * keys);
      return random() < 0.5 ? ['r', key, null] : ['append', key, next++];
    });
}

function history(seed: number, keys: number, clients: number, txns: number): Op[] {
  const random = seededRng(seed).next;
  return simulateTxns({
    store: listStore(),
    nextTxn: txnMaker(keys),
    clients,
    txns,
    failRate: 0.05,
    infoRate: 0.1,
    random,
  });
}

const runArb = fc.record({
  seed: fc.nat(),
  keys: fc.integer({ min: 1, max: 4 }),
  clients: fc.integer({ min: 1, max: 6 }),
  txns: fc.integer({ min: 5, max: 60 }),
});

// ---- re-deriving the edges from the history, independently of the checker ---

interface TxnView {
  process: Op['process'];
  status: 'ok' | 'info' | 'fail';
  invoke: number;
  ok: number | undefined;
  mops: MicroOp[];
}

function transactions(h: Op[]): TxnView[] {
  const txns: TxnView[] = [];
  const open = new Map<Op['process'], TxnView>();
  for (const op of h) {
    if (op.type === 'invoke') {
      const t: TxnView = {
        process: op.process,
        status: 'info',
        invoke: op.index,
        ok: undefined,
        mops: op.value as never,
      };
      txns.push(t);
      open.set(op.process, t);
      continue;
    }
    const t = open.get(op.process)!;
    open.delete(op.process);
    t.status = op.type;
    if (op.type === 'ok') {
      t.ok = op.index;
      t.mops = op.value as never;
    }
  }
  return txns;
}

/** Each key's longest ok read: its version order. */
function orders(txns: TxnView[]): Map<Json, Json[]> {
  const longest = new Map<Json, Json[]>();
  for (const t of txns) {
    if (t.status !== 'ok') continue;
    for (const [f, k, v] of t.mops) {
      if (f === 'r' && (v as Json[]).length > (longest.get(k)?.length ?? -1)) longest.set(k, v as Json[]);
    }
  }
  return longest;
}

/** Throws unless every cycle in the result is simple, closed, and each edge follows from the history. */
function verifyCycles(result: TxnResultFields, h: Op[]): number {
  const txns = transactions(h);
  const byInvoke = new Map(txns.map((t) => [t.invoke, t]));
  const order = orders(txns);
  const appended = (k: Json): Set<Json> => new Set(order.get(k) ?? []);
  let checked = 0;
  for (const group of Object.values(result.anomalies)) {
    for (const c of group.cases) {
      if (!c.steps) continue;
      checked++;
      const named = new Map(c.txns.map((t) => [t.name, byInvoke.get(t.invokeIndex)!]));
      expect(new Set(c.txns.map((t) => t.invokeIndex)).size).toBe(c.txns.length);
      c.steps.forEach((s, i) => {
        expect(s.to).toBe(c.steps![(i + 1) % c.steps!.length]!.from);
        const a = named.get(s.from)!;
        const b = named.get(s.to)!;
        expect(a.status).not.toBe('fail');
        expect(b.status).not.toBe('fail');
        if (s.kind === 'rt') {
          expect(a.ok).toBeDefined();
          expect(a.ok!).toBeLessThan(b.invoke);
          return;
        }
        const ma = a.mops[s.fromMop!]!;
        const mb = b.mops[s.toMop!]!;
        const k = s.key!;
        expect(ma[1]).toEqual(k);
        expect(mb[1]).toEqual(k);
        const o = order.get(k) ?? [];
        if (s.kind === 'wr') {
          expect(ma[0]).toBe('append');
          expect(b.status).toBe('ok');
          expect(mb[0]).toBe('r');
          expect((mb[2] as Json[]).at(-1)).toEqual(ma[2]);
        } else if (s.kind === 'ww') {
          expect([ma[0], mb[0]]).toEqual(['append', 'append']);
          const p = o.indexOf(mb[2]);
          if (p === -1) expect([appended(k).has(mb[2]), o.at(-1)]).toEqual([false, ma[2]]);
          else expect(o[p - 1]).toEqual(ma[2]);
        } else {
          expect(s.kind).toBe('rw');
          expect([a.status, ma[0], mb[0]]).toEqual(['ok', 'r', 'append']);
          const read = ma[2] as Json[];
          const p = read.length === 0 ? -1 : o.indexOf(read.at(-1)!);
          if (p + 1 < o.length) expect(o[p + 1]).toEqual(mb[2]);
          else expect([appended(k).has(mb[2]), read.length]).toEqual([false, o.length]);
        }
      });
    }
  }
  return checked;
}

// ---- planting anomalies ------------------------------------------------------

type Plant = (h: Op[], random: Random) => Op[] | undefined;

const clone = (h: Op[]): Op[] => JSON.parse(JSON.stringify(h)) as Op[];
const okCompletions = (h: Op[]) => h.filter((op) => op.type === 'ok');

/** Where each element was appended: the appender's invocation and ok completion. */
function appenders(h: Op[]): Map<string, { invoke: number; ok: number }> {
  const invokes = new Map<Op['process'], number>();
  const at = new Map<string, { invoke: number; ok: number }>();
  for (const op of h) {
    if (op.type === 'invoke') invokes.set(op.process, op.index);
    else if (op.type === 'ok') {
      for (const [f, k, v] of op.value as MicroOp[]) {
        if (f === 'append') at.set(`${k}/${v}`, { invoke: invokes.get(op.process)!, ok: op.index });
      }
    }
  }
  return at;
}

const invokeOf = (h: Op[], completion: Op): number =>
  h.findLast((op) => op.index < completion.index && op.process === completion.process && op.type === 'invoke')!.index;

/** A read drops its last element, appended by a transaction that completed before the reader was invoked. */
const staleRead: Plant = (h, random) => {
  const out = clone(h);
  const at = appenders(out);
  const candidates = okCompletions(out).flatMap((op) =>
    (op.value as MicroOp[]).flatMap((m, i) => {
      if (m[0] !== 'r' || (m[2] as Json[]).length === 0) return [];
      const others = (op.value as MicroOp[]).filter((x) => x[1] === m[1]).length;
      const writer = at.get(`${m[1]}/${(m[2] as Json[]).at(-1)}`);
      return others === 1 && writer && writer.ok < invokeOf(out, op) ? [{ op, i }] : [];
    }),
  );
  if (candidates.length === 0) return undefined;
  const { op, i } = candidates[Math.floor(random() * candidates.length)]!;
  const mop = (op.value as MicroOp[])[i]!;
  mop[2] = (mop[2] as Json[]).slice(0, -1);
  return out;
};

/**
 * An acknowledged append vanishes from every read, though a transaction
 * invoked after it completed appended to the key later and was read.
 */
const lostAppend: Plant = (h, random) => {
  const out = clone(h);
  const at = appenders(out);
  const order = orders(transactions(out));
  const candidates: { k: Json; e: Json }[] = [];
  for (const [k, o] of order) {
    o.forEach((e, p) => {
      const w = at.get(`${k}/${e}`);
      if (w && o.slice(p + 1).some((f) => (at.get(`${k}/${f}`)?.invoke ?? -1) > w.ok)) candidates.push({ k, e });
    });
  }
  if (candidates.length === 0) return undefined;
  const { k, e } = candidates[Math.floor(random() * candidates.length)]!;
  for (const op of okCompletions(out)) {
    for (const m of op.value as MicroOp[])
      if (m[0] === 'r' && m[1] === k) m[2] = (m[2] as Json[]).filter((x) => x !== e);
  }
  return out;
};

/** A committed transaction whose append another one read is recorded as failed. */
const abortedRead: Plant = (h, random) => {
  const out = clone(h);
  const readBy = new Map<string, Set<Op>>();
  for (const op of okCompletions(out)) {
    for (const [f, k, v] of op.value as MicroOp[]) {
      if (f !== 'r') continue;
      for (const e of v as Json[]) readBy.set(`${k}/${e}`, (readBy.get(`${k}/${e}`) ?? new Set()).add(op));
    }
  }
  const candidates = okCompletions(out).filter((op) =>
    (op.value as MicroOp[]).some(
      ([f, k, v]) => f === 'append' && [...(readBy.get(`${k}/${v}`) ?? [])].some((reader) => reader !== op),
    ),
  );
  if (candidates.length === 0) return undefined;
  const op = candidates[Math.floor(random() * candidates.length)]!;
  (op as { type: string }).type = 'fail';
  op.value = out[invokeOf(out, op)]!.value;
  return out;
};

/** Two concurrent transactions each read a key the other appends to, from the same snapshot; a final read sees both. */
const writeSkew: Plant = (h) => {
  const out = clone(h);
  const order = orders(transactions(out));
  const [a, b] = ['skew-a', 'skew-b'];
  const list = (k: string): Json[] => order.get(k) ?? [];
  const add = (op: Omit<Op, 'index' | 'time'>): void => {
    out.push({ ...op, index: out.length, time: out.length * 1000 } as Op);
  };
  add({
    type: 'invoke',
    process: 1001,
    f: 'txn',
    value: [
      ['r', a, null],
      ['append', b, 'x'],
    ],
  });
  add({
    type: 'invoke',
    process: 1002,
    f: 'txn',
    value: [
      ['r', b, null],
      ['append', a, 'y'],
    ],
  });
  add({
    type: 'ok',
    process: 1001,
    f: 'txn',
    value: [
      ['r', a, list(a)],
      ['append', b, 'x'],
    ],
  });
  add({
    type: 'ok',
    process: 1002,
    f: 'txn',
    value: [
      ['r', b, list(b)],
      ['append', a, 'y'],
    ],
  });
  add({
    type: 'invoke',
    process: 1003,
    f: 'txn',
    value: [
      ['r', a, null],
      ['r', b, null],
    ],
  });
  add({
    type: 'ok',
    process: 1003,
    f: 'txn',
    value: [
      ['r', a, ['y']],
      ['r', b, ['x']],
    ],
  });
  return out;
};

/** A read ends inside a transaction that appended twice to the key. */
const intermediateRead: Plant = (h, random) => {
  const out = clone(h);
  const candidates = okCompletions(out).flatMap((reader) =>
    (reader.value as MicroOp[]).flatMap((m, i) => {
      if (
        m[0] !== 'r' ||
        (m[2] as Json[]).length < 2 ||
        (reader.value as MicroOp[]).some((x, j) => j !== i && x[1] === m[1])
      )
        return [];
      const [e1, e2] = (m[2] as Json[]).slice(-2);
      const writer = okCompletions(out).find((w) => {
        const mops = w.value as MicroOp[];
        const p1 = mops.findIndex((x) => x[0] === 'append' && x[1] === m[1] && x[2] === e1);
        const p2 = mops.findIndex((x) => x[0] === 'append' && x[1] === m[1] && x[2] === e2);
        return p1 !== -1 && p2 > p1 && w !== reader;
      });
      return writer ? [{ reader, i }] : [];
    }),
  );
  if (candidates.length === 0) return undefined;
  const { reader, i } = candidates[Math.floor(random() * candidates.length)]!;
  const mop = (reader.value as MicroOp[])[i]!;
  mop[2] = (mop[2] as Json[]).slice(0, -1);
  return out;
};

/** A transaction's read after its own append misses that append. */
const internalInconsistency: Plant = (h, random) => {
  const out = clone(h);
  const candidates = okCompletions(out).flatMap((op) => {
    const mops = op.value as MicroOp[];
    return mops.flatMap((m, i) =>
      m[0] === 'r' && mops.slice(0, i).some((x) => x[0] === 'append' && x[1] === m[1]) ? [{ op, i }] : [],
    );
  });
  if (candidates.length === 0) return undefined;
  const { op, i } = candidates[Math.floor(random() * candidates.length)]!;
  const mop = (op.value as MicroOp[])[i]!;
  mop[2] = (mop[2] as Json[]).slice(0, -1);
  return out;
};

const PLANTS: [string, string, Plant][] = [
  ['a stale read', 'G-single-item-realtime', staleRead],
  ['a lost append', 'G0-realtime', lostAppend],
  ['a read of an aborted write', 'G1a', abortedRead],
  ['a write skew', 'G2-item', writeSkew],
  ['an intermediate read', 'G1b', intermediateRead],
  ['a transaction that disagrees with itself', 'internal', internalInconsistency],
];

describe('list-append checker on simulated histories', () => {
  it('a real store run one transaction at a time gives strict serializable histories', () => {
    fc.assert(
      fc.property(runArb, ({ seed, keys, clients, txns }) => {
        const h = history(seed, keys, clients, txns);
        const result = checkListAppend(h);
        // A tiny history may give no dependency at all to check: unknown, never false.
        const nothingToCheck = result.valid === 'unknown' && result.anomalyTypes.join() === 'empty-transaction-graph';
        if (result.valid !== true && !nothingToCheck) throw new Error(`${result.error}\n${JSON.stringify(h)}`);
      }),
      { numRuns: 300 },
    );
  });

  it.each(PLANTS)('%s is caught as %s (or worse), with justified cycles', (_name, expected, plant) => {
    let planted = 0;
    fc.assert(
      fc.property(runArb, fc.nat(), ({ seed, keys, clients, txns }, plantSeed) => {
        const h = plant(history(seed, keys, clients, txns), seededRng(plantSeed).next);
        fc.pre(h !== undefined);
        planted++;
        const result = checkListAppend(h!);
        expect(result.valid).toBe(false);
        const caught = result.anomalyTypes.some((t) => impliedAnomalies([t]).has(expected));
        if (!caught) throw new Error(`found ${result.anomalyTypes.join(', ')}, not ${expected}\n${JSON.stringify(h)}`);
        verifyCycles(result, h!);
      }),
      { numRuns: 150 },
    );
    expect(planted).toBeGreaterThan(50);
  });

  it('every cycle reported in bigger histories with many planted stale reads is justified', () => {
    let cycles = 0;
    for (let seed = 0; seed < 20; seed++) {
      let h = history(seed, 5, 8, 400);
      const random = seededRng(seed).next;
      for (let i = 0; i < 10; i++) h = staleRead(h, random) ?? h;
      const result = checkListAppend(h, { maxCasesPerType: 1000 });
      cycles += verifyCycles(result, h);
    }
    expect(cycles).toBeGreaterThan(20);
  });
});
