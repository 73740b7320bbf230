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

describe('real-time and process orders', () => {
  it('real time: the closure of the edges is exactly "completed ok before the other was invoked", failures left out', () => {
    fc.assert(
      fc.property(historyArb, (commands) => {
        const h = build(commands);
        const txns = readTxns(h, SHAPE);
        const edges = new EdgeList();
        addRealtimeEdges(txns, edges, h.length);
        const g = buildGraph(txns.count, edges);
        const n = txns.count;
        const r = Array.from({ length: n }, () => new Array<boolean>(n).fill(false));
        for (let a = 0; a < n; a++) for (let e = g.offsets[a]!; e < g.offsets[a + 1]!; e++) r[a]![g.targets[e]!] = true;
        for (let m = 0; m < n; m++)
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (r[i]![m] && r[m]![j]) r[i]![j] = true;
        for (let a = 0; a < n; a++) {
          for (let b = 0; b < n; b++) {
            const live = txns.status[a] !== 2 && txns.status[b] !== 2;
            const expected = live && txns.okIndex[a] !== -1 && txns.okIndex[a]! < txns.invokeIndex[b]!;
            expect(r[a]![b]).toBe(expected);
          }
        }
        expect([...g.kinds].every((k) => k === RT)).toBe(true);
        // The generic sweep gives the same edges.
        const live = [...Array(n).keys()].filter((t) => txns.status[t] !== 2);
        const pairs: string[] = [];
        intervalOrder(txns, live, (a, b) => pairs.push(`${a}>${b}`));
        const direct: string[] = [];
        for (let i = 0; i < edges.length; i++) direct.push(`${edges.fromAt(i)}>${edges.toAt(i)}`);
        expect(pairs.sort()).toEqual(direct.sort());
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
