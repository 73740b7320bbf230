import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/history/op.js';
import { buildGraph, EdgeList } from './graph.js';
import { PROCESS, RT } from './kinds.js';
import { addProcessEdges, addRealtimeEdges, intervalOrder } from './orders.js';
import { readTxns, type TxnShape } from './txns.js';

const SHAPE: TxnShape = { checker: 'test', fs: ['r'], checkMop: () => undefined };

/** Random histories of empty transactions on a few processes: some ok, some fail, some info, some open. */
const historyArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.constantFrom('ok', 'ok', 'fail', 'info')), {
  maxLength: 40,
});

function build(commands: [number, string][]): Op[] {
  const h: Op[] = [];
  const open = new Set<number>();
  const rename = new Map<number, number>();
  let fresh = 100;
  for (const [p0, type] of commands) {
    const p = rename.get(p0) ?? p0;
    const op = { index: h.length, time: h.length, process: p, f: 'txn', value: [] };
    if (!open.has(p)) {
      open.add(p);
      h.push({ ...op, type: 'invoke' });
    } else {
      open.delete(p);
      h.push({ ...op, type: type as 'ok' });
      if (type === 'info') rename.set(p0, fresh++);
    }
  }
  return h;
}

/** Reachability (by at least one edge) by brute force. */
function closure(n: number, next: (v: number) => number[]): boolean[][] {
  const r = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
  for (let a = 0; a < n; a++) for (const b of next(a)) r[a]![b] = true;
  for (let m = 0; m < n; m++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (r[i]![m] && r[m]![j]) r[i]![j] = true;
  return r;
}

describe('real-time and process orders', () => {
  it('real time through time points: transactions reach each other exactly when one completed ok before the other was invoked', () => {
    fc.assert(
      fc.property(historyArb, (commands) => {
        const h = build(commands);
        const txns = readTxns(h, SHAPE);
        const n = txns.count;
        const edges = new EdgeList();
        const points = addRealtimeEdges(txns, edges, h.length);
        const g = buildGraph(n + points, edges);
        expect(edges.length).toBeLessThanOrEqual(3 * n);
        const reach = closure(n + points, (a) => [...g.targets.subarray(g.offsets[a], g.offsets[a + 1])]);
        const live = (t: number) => txns.status[t] !== 2;
        const precedes = (a: number, b: number) =>
          live(a) && live(b) && txns.okIndex[a] !== -1 && txns.okIndex[a]! < txns.invokeIndex[b]!;
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) expect(reach[a]![b]).toBe(precedes(a, b));
        expect([...g.kinds].every((k) => k === RT)).toBe(true);
        // The Hasse diagram of the same order has the same closure.
        const hasse: number[][] = Array.from({ length: n }, () => []);
        intervalOrder(txns, [...Array(n).keys()].filter(live), (a, b) => hasse[a]!.push(b));
        const hasseReach = closure(n, (a) => hasse[a]!);
        for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) expect(hasseReach[a]![b]).toBe(precedes(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('process order links each transaction to its process’s next one, skipping failures and never from an info', () => {
    const h = build([
      [0, 'ok'],
      [0, 'ok'],
      [0, 'ok'],
      [0, 'fail'],
      [0, 'ok'],
      [0, 'info'],
      [0, 'ok'],
      [0, 'ok'],
    ]);
    const txns = readTxns(h, SHAPE);
    const edges = new EdgeList();
    addProcessEdges(txns, edges);
    const pairs = Array.from({ length: edges.length }, (_, i) => [edges.fromAt(i), edges.toAt(i), edges.kindAt(i)]);
    // 0 ok, 1 fail, 2 info (process 0), 3 ok (process 100): 0 → 2 only.
    expect(pairs).toEqual([[0, 2, PROCESS]]);
  });
});
