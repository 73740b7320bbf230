import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CYCLE_TYPES, cycleType } from './cycle-types.js';
import { buildGraph, EdgeList, hasEdge } from './graph.js';
import { maskOf, RT, RW, WR, WW } from './kinds.js';
import { impliedAnomalies } from './models.js';
import { stronglyConnected } from './scc.js';
import { searchComponent, simplify } from './search.js';

const ALL = maskOf(WW, WR, RW, RT);

/** Random graphs of up to 7 nodes with ww, wr, rw and rt edges. */
const graphArb = fc.integer({ min: 2, max: 7 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(
      fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.constantFrom(WW, WR, RW, RT)),
      { maxLength: 14 },
    ),
  }),
);

/** Every simple cycle (as edge-kind lists, one per choice of parallel edges), by brute force. */
function allCycles(n: number, edges: [number, number, number][]): { nodes: number[]; kinds: number[] }[] {
  const out: { nodes: number[]; kinds: number[] }[] = [];
  const uniq = [...new Set(edges.filter(([a, b]) => a !== b).map((e) => e.join()))].map((s) =>
    s.split(',').map(Number),
  );
  const walk = (start: number, path: number[], kinds: number[]): void => {
    const v = path[path.length - 1]!;
    for (const [a, b, k] of uniq) {
      if (a !== v) continue;
      if (b === start) out.push({ nodes: [...path], kinds: [...kinds, k!] });
      // Each cycle once: from its smallest node.
      else if (b! > start && !path.includes(b!)) walk(start, [...path, b!], [...kinds, k!]);
    }
  };
  for (let s = 0; s < n; s++) walk(s, [s], []);
  return out;
}

function searchAll(n: number, edges: [number, number, number][]) {
  const list = new EdgeList();
  for (const [a, b, k] of edges) list.add(a, b, k);
  const g = buildGraph(n, list);
  const scratch = new Int32Array(n).fill(-1);
  const found = stronglyConnected(g, ALL).flatMap(
    (c) => searchComponent(g, c, new Set(CYCLE_TYPES), ALL, scratch, () => false).cycles,
  );
  return { g, found };
}

describe('cycle search', () => {
  it('names cycles by their edges, as Elle does', () => {
    expect(cycleType([WW, WW])).toBe('G0');
    expect(cycleType([WW, WR])).toBe('G1c');
    expect(cycleType([RW, WR])).toBe('G-single-item');
    expect(cycleType([RW, WR, RW, WW])).toBe('G-nonadjacent-item');
    expect(cycleType([RW, RW])).toBe('G2-item');
    expect(cycleType([WR, RW, WW, RW])).toBe('G-nonadjacent-item');
    expect(cycleType([RW, WW, RW])).toBe('G2-item'); // the last rw and the first are adjacent
    expect(cycleType([RW, RT])).toBe('G-single-item-realtime');
    expect(cycleType([WW, 4])).toBe('G0-process');
  });

  it('cuts a closed walk that passes a node twice into a simple cycle of the wanted kind', () => {
    const twoRw = (kinds: number[]) => kinds.filter((k) => k === RW).length >= 2;
    // 0 -rw-> 1 -ww-> 2 -ww-> 1 -rw-> 0: the loop 1 → 2 → 1 has no rw; the rest is 0 → 1 → 0 with two.
    const cut = simplify({ nodes: [0, 1, 2, 1], kinds: [RW, WW, WW, RW] }, twoRw);
    expect(cut).toEqual({ nodes: [0, 1], kinds: [RW, RW] });
    expect(simplify({ nodes: [0, 1, 2, 1], kinds: [RW, WW, RW, WW] }, twoRw)).toBeUndefined();
  });

  it('finds real, simple cycles of the type it names, covering every type brute force finds; G0, G1c and G-single-item as short as any in their component', () => {
    fc.assert(
      fc.property(graphArb, ({ n, edges }) => {
        const { g, found } = searchAll(n, edges);
        for (const c of found) {
          expect(new Set(c.nodes).size).toBe(c.nodes.length);
          c.nodes.forEach((v, i) => {
            expect(hasEdge(g, v, c.nodes[(i + 1) % c.nodes.length]!, c.kinds[i]!)).toBe(true);
          });
          expect(cycleType(c.kinds)).toBe(c.type);
        }
        const covered = new Set(found.flatMap((c) => [...impliedAnomalies([c.type])]));
        const brute = allCycles(n, edges);
        for (const c of brute) expect(covered.has(cycleType(c.kinds))).toBe(true);
        // Shortest within its component (each component is searched on its own).
        const componentOf = new Map(stronglyConnected(g, ALL).flatMap((c, i) => c.map((v) => [v, i] as const)));
        for (const c of found) {
          if (!['G0', 'G1c', 'G-single-item'].includes(c.type)) continue;
          const here = brute.filter(
            (b) => cycleType(b.kinds) === c.type && componentOf.get(b.nodes[0]!) === componentOf.get(c.nodes[0]!),
          );
          expect(c.nodes.length).toBe(Math.min(...here.map((b) => b.kinds.length)));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('stops when asked, returning what it found', () => {
    const list = new EdgeList();
    list.add(0, 1, WW);
    list.add(1, 0, WW);
    const g = buildGraph(2, list);
    const result = searchComponent(g, [0, 1], new Set(CYCLE_TYPES), ALL, new Int32Array(2).fill(-1), () => true);
    expect(result).toEqual({ cycles: [], complete: false });
  });
});
