/**
 * Properties of the rw-register checker, with fast-check: histories of a
 * real register store run one transaction at a time are strict
 * serializable (with and without Elle's version-order options, which all
 * hold for such a store); planted anomalies are caught; every reported
 * cycle is re-derived from the history.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Op } from '../../harness/history/op.js';
import { seededRng } from '../../harness/history/random.js';
import { impliedAnomalies } from '../txn/models.js';
import type { TxnResultFields } from '../txn/result.js';
import { type MicroOp, type Random, registerStore, simulateTxns } from '../txn/testing/simulate.js';
import { checkRwRegister, type RwRegisterOptions } from './index.js';

function txnMaker(keys: number): (random: Random) => MicroOp[] {
  let next = 1;
  return (random) =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, (): MicroOp => {
      const key = Math.floor(random() * keys);
      return random() < 0.5 ? ['r', key, null] : ['w', key, next++];
    });
}

function history(seed: number, keys: number, clients: number, txns: number): Op[] {
  return simulateTxns({
    store: registerStore(),
    nextTxn: txnMaker(keys),
    clients,
    txns,
    failRate: 0.05,
    infoRate: 0.1,
    random: seededRng(seed).next,
  });
}

const runArb = fc.record({
  seed: fc.nat(),
  keys: fc.integer({ min: 1, max: 4 }),
  clients: fc.integer({ min: 1, max: 6 }),
  txns: fc.integer({ min: 5, max: 60 }),
});

const clone = (h: Op[]): Op[] => JSON.parse(JSON.stringify(h)) as Op[];
const oks = (h: Op[]) => h.filter((op) => op.type === 'ok');
const invokeOf = (h: Op[], completion: Op): number =>
  h.findLast((op) => op.index < completion.index && op.process === completion.process && op.type === 'invoke')!.index;

/** Where each (key, value) was written: the writer's ok completion. */
function writers(h: Op[]): Map<string, Op> {
  const at = new Map<string, Op>();
  for (const op of oks(h)) for (const [f, k, v] of op.value as MicroOp[]) if (f === 'w') at.set(`${k}/${v}`, op);
  return at;
}

/** Each key's first micro-op in a transaction, when it is a read. */
const externalReads = (mops: MicroOp[]): [number, MicroOp][] =>
  mops.flatMap((m, i) =>
    m[0] === 'r' && mops.findIndex((x) => x[1] === m[1]) === i ? [[i, m] as [number, MicroOp]] : [],
  );

type Plant = (h: Op[], random: Random) => Op[] | undefined;

const pick = <T>(xs: T[], random: Random): T | undefined =>
  xs.length === 0 ? undefined : xs[Math.floor(random() * xs.length)];

/** A read sees nil although a write of that key completed before the reader was invoked. */
const staleNil: Plant = (h, random) => {
  const out = clone(h);
  const at = writers(out);
  const choice = pick(
    oks(out).flatMap((op) =>
      externalReads(op.value as MicroOp[]).flatMap(([i, m]) => {
        const w = at.get(`${m[1]}/${m[2]}`);
        const onlyMop = (op.value as MicroOp[]).filter((x) => x[1] === m[1]).length === 1;
        return m[2] !== null && onlyMop && w && w.index < invokeOf(out, op) ? [{ op, i }] : [];
      }),
    ),
    random,
  );
  if (!choice) return undefined;
  (choice.op.value as MicroOp[])[choice.i]![2] = null;
  return out;
};

/** A committed write someone else read is recorded as failed. */
const abortedRead: Plant = (h, random) => {
  const out = clone(h);
  const readBy = new Map<string, Op[]>();
  for (const op of oks(out)) {
    for (const [f, k, v] of op.value as MicroOp[])
      if (f === 'r') readBy.set(`${k}/${v}`, [...(readBy.get(`${k}/${v}`) ?? []), op]);
  }
  const op = pick(
    oks(out).filter((w) =>
      (w.value as MicroOp[]).some(([f, k, v]) => f === 'w' && (readBy.get(`${k}/${v}`) ?? []).some((r) => r !== w)),
    ),
    random,
  );
  if (!op) return undefined;
  (op as { type: string }).type = 'fail';
  op.value = out[invokeOf(out, op)]!.value;
  return out;
};

/** Two concurrent transactions read fresh keys as nil and each writes the key the other read. */
const writeSkew: Plant = (h) => {
  const out = clone(h);
  const add = (op: Omit<Op, 'index' | 'time'>): void => {
    out.push({ ...op, index: out.length, time: out.length * 1000 } as Op);
  };
  add({
    type: 'invoke',
    process: 1001,
    f: 'txn',
    value: [
      ['r', 'skew-a', null],
      ['w', 'skew-b', 1],
    ],
  });
  add({
    type: 'invoke',
    process: 1002,
    f: 'txn',
    value: [
      ['r', 'skew-b', null],
      ['w', 'skew-a', 1],
    ],
  });
  add({
    type: 'ok',
    process: 1001,
    f: 'txn',
    value: [
      ['r', 'skew-a', null],
      ['w', 'skew-b', 1],
    ],
  });
  add({
    type: 'ok',
    process: 1002,
    f: 'txn',
    value: [
      ['r', 'skew-b', null],
      ['w', 'skew-a', 1],
    ],
  });
  return out;
};

/** Two transactions read the same value of a key and both write it. */
const lostUpdate: Plant = (h) => {
  const out = clone(h);
  const add = (op: Omit<Op, 'index' | 'time'>): void => {
    out.push({ ...op, index: out.length, time: out.length * 1000 } as Op);
  };
  add({
    type: 'invoke',
    process: 1001,
    f: 'txn',
    value: [
      ['r', 'lost', null],
      ['w', 'lost', 1],
    ],
  });
  add({
    type: 'invoke',
    process: 1002,
    f: 'txn',
    value: [
      ['r', 'lost', null],
      ['w', 'lost', 2],
    ],
  });
  add({
    type: 'ok',
    process: 1001,
    f: 'txn',
    value: [
      ['r', 'lost', null],
      ['w', 'lost', 1],
    ],
  });
  add({
    type: 'ok',
    process: 1002,
    f: 'txn',
    value: [
      ['r', 'lost', null],
      ['w', 'lost', 2],
    ],
  });
  return out;
};

const PLANTS: [string, string, Plant][] = [
  ['a stale read of nil', 'G-single-item-realtime', staleNil],
  ['a read of an aborted write', 'G1a', abortedRead],
  ['a write skew', 'G2-item', writeSkew],
  ['a lost update', 'lost-update', lostUpdate],
];

/** Every cycle is closed and simple; its wr and rt edges follow from the history, and its rw/ww edges from nil < v. */
function verifyCycles(result: TxnResultFields, h: Op[]): void {
  const at = writers(h);
  for (const group of Object.values(result.anomalies)) {
    for (const c of group.cases) {
      if (!c.steps) continue;
      const named = new Map(c.txns.map((t) => [t.name, t]));
      expect(new Set(c.txns.map((t) => t.invokeIndex)).size).toBe(c.txns.length);
      c.steps.forEach((s, i) => {
        expect(s.to).toBe(c.steps![(i + 1) % c.steps!.length]!.from);
        const a = named.get(s.from)!;
        const b = named.get(s.to)!;
        if (s.kind === 'rt') {
          expect(a.status).toBe('ok');
          expect(a.completeIndex!).toBeLessThan(b.invokeIndex);
          return;
        }
        const ma = a.mops[s.fromMop!] as MicroOp;
        const mb = b.mops[s.toMop!] as MicroOp;
        expect([ma[1], mb[1]]).toEqual([s.key, s.key]);
        if (s.kind === 'wr') {
          expect([ma[0], mb[0], mb[2]]).toEqual(['w', 'r', ma[2]]);
          // The writer committed, or crashed (info) and, as the read shows, took effect.
          if (a.status === 'ok') expect(at.get(`${ma[1]}/${ma[2]}`)?.index).toBe(a.completeIndex);
          else expect(a.status).toBe('info');
        } else {
          // Without options the only version order known is nil before everything.
          expect([ma[0], ma[2], mb[0]]).toEqual(['r', null, 'w']);
          expect(s.kind).toBe('rw');
        }
      });
    }
  }
}

describe('rw-register checker on simulated histories', () => {
  const OPTION_SETS: RwRegisterOptions[] = [
    {},
    { wfrKeys: true },
    { sequentialKeys: true },
    { linearizableKeys: true },
    { wfrKeys: true, sequentialKeys: true, linearizableKeys: true },
  ];

  it.each(OPTION_SETS.map((o) => [JSON.stringify(o), o] as const))(
    'a real store run one transaction at a time is strict serializable (options %s)',
    (_name, options) => {
      fc.assert(
        fc.property(runArb, ({ seed, keys, clients, txns }) => {
          const h = history(seed, keys, clients, txns);
          const result = checkRwRegister(h, options);
          const nothingToCheck = result.valid === 'unknown' && result.anomalyTypes.join() === 'empty-transaction-graph';
          if (result.valid !== true && !nothingToCheck) throw new Error(`${result.error}\n${JSON.stringify(h)}`);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('a known transaction order (the order the store applied them in) is consistent too', () => {
    // Runs are sequential here (one client), so the order of completions is the order of application.
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 4 }), (seed, keys) => {
        const h = history(seed, keys, 1, 40);
        const order = Object.fromEntries(
          h.filter((op) => op.type === 'ok').map((op, rank) => [String(op.index), rank]),
        );
        const result = checkRwRegister(h, { transactionOrder: order });
        expect(result.valid).not.toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it.each(PLANTS)('%s is caught as %s (or worse), with justified cycles', (_name, expected, plant) => {
    let planted = 0;
    fc.assert(
      fc.property(runArb, fc.nat(), ({ seed, keys, clients, txns }, plantSeed) => {
        const h = plant(history(seed, keys, clients, txns), seededRng(plantSeed).next);
        fc.pre(h !== undefined);
        planted++;
        const result = checkRwRegister(h!);
        expect(result.valid).toBe(false);
        const caught = result.anomalyTypes.some((t) => impliedAnomalies([t]).has(expected));
        if (!caught) throw new Error(`found ${result.anomalyTypes.join(', ')}, not ${expected}\n${JSON.stringify(h)}`);
        verifyCycles(result, h!);
      }),
      { numRuns: 150 },
    );
    expect(planted).toBeGreaterThan(50);
  });

  it('sequential keys turn a process reading nil after its own write into cyclic versions', () => {
    const h = [
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'txn', value: [['w', 'x', 1]] },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'txn', value: [['w', 'x', 1]] },
      { index: 2, time: 2, type: 'invoke', process: 0, f: 'txn', value: [['r', 'x', null]] },
      { index: 3, time: 3, type: 'ok', process: 0, f: 'txn', value: [['r', 'x', null]] },
    ] as Op[];
    const result = checkRwRegister(h, { sequentialKeys: true });
    expect(result.anomalyTypes).toContain('cyclic-versions');
    expect(result.anomalies['cyclic-versions']!.cases[0]!.details).toMatchObject({
      values: [null, 1] as Json[],
      sources: ['initial', 'sequential-keys'],
    });
  });
});
