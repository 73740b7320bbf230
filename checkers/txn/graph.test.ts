import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, EdgeList, hasEdge, subgraph } from './graph.js';
import { KIND_COUNT, maskOf, RW, WR, WW } from './kinds.js';
import { stronglyConnected } from './scc.js';

/** Random graphs: n nodes, edges with kinds. */
const graphArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(
      fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 2 })),
      { maxLength: 25 },
    ),
  }),
);

function build(n: number, edges: [number, number, number][]) {
  const list = new EdgeList();
  for (const [a, b, k] of edges) list.add(a, b, k);
  return buildGraph(n, list);
}

/** Reachability by brute force. */
function reaches(n: number, edges: [number, number, number][], mask: number): boolean[][] {
  const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => i === j));
  for (const [a, b, k] of edges) if (a !== b && (mask >> k) & 1) r[a]![b] = true;
  for (let m = 0; m < n; m++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (r[i]![m] && r[m]![j]) r[i]![j] = true;
  return r;
}

describe('dependency graph', () => {
  it('keeps every edge but self-edges, grouped by source, with counts per kind', () => {
    fc.assert(
      fc.property(graphArb, ({ n, edges }) => {
        const g = build(n, edges);
        const kept = edges.filter(([a, b]) => a !== b);
        expect(g.targets.length).toBe(kept.length);
        for (const [a, b, k] of kept) expect(hasEdge(g, a, b, k)).toBe(true);
        for (let k = 0; k < KIND_COUNT; k++) expect(g.kindCounts[k]).toBe(kept.filter((e) => e[2] === k).length);
      }),
    );
  });

  it('finds the strongly connected components (with a kind mask) that brute force finds', () => {
    fc.assert(
      fc.property(graphArb, fc.integer({ min: 1, max: 7 }), ({ n, edges }, mask) => {
        const g = build(n, edges);
        const r = reaches(n, edges, mask);
        const expected = new Set<string>();
        for (let i = 0; i < n; i++) {
          const c = [...Array(n).keys()].filter((j) => r[i]![j] && r[j]![i]);
          if (c.length > 1) expected.add(c.join(','));
        }
        expect(new Set(stronglyConnected(g, mask).map((c) => c.join(',')))).toEqual(expected);
      }),
    );
  });

  it('extracts a subgraph on some nodes, renumbered, keeping only the masked kinds between them', () => {
    const g = build(4, [
      [0, 1, WW],
      [1, 2, WR],
      [2, 0, RW],
      [2, 3, WW],
    ]);
    const scratch = new Int32Array(4).fill(-1);
    const sub = subgraph(g, [2, 0, 1], maskOf(WW, RW), scratch);
    expect([...sub.nodes]).toEqual([2, 0, 1]);
    expect(hasEdge(sub, 0, 1, RW)).toBe(true); // 2 → 0
    expect(hasEdge(sub, 1, 2, WW)).toBe(true); // 0 → 1
    expect(sub.targets.length).toBe(2); // no wr, nothing to node 3
    expect([...scratch]).toEqual([-1, -1, -1, -1]);
  });
});
