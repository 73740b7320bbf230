/**
 * Cycle existence, model by model (Elle's "-cycle-exists" anomalies): each
 * model forbids cycles in a subgraph of the dependency graph, and whether a
 * subgraph has a cycle is decided in linear time by its strongly connected
 * components, without finding one. This is the safety net under the cycle
 * search: when the search gives up (work limits, budget) or cannot name a
 * cycle, the models the cycle rules out are still ruled out.
 *
 * Snapshot isolation's subgraph is an extension: ww/wr (and process or
 * real-time) edges, each optionally followed by one rw edge. A cycle there
 * is a cycle of the whole graph with no two rw edges in a row; it is found
 * as a cycle of the graph over (node, "the last edge was rw").
 */
import type { Graph } from './graph.js';
import { maskOf, PROCESS, RT, RW, WR, WW } from './kinds.js';
import { stronglyConnected } from './scc.js';

export interface CycleExistsSpec {
  /** The anomaly name: `${model}-cycle-exists`, with the model's canonical name. */
  anomaly: string;
  /** The model's canonical name. */
  model: string;
  /** Edge kinds of the subgraph. */
  mask: number;
  /** For the snapshot-isolation family: edges of the mask may each be followed by one rw edge. */
  extendedByRw: boolean;
}

const spec = (model: string, mask: number, extendedByRw = false): CycleExistsSpec => ({
  anomaly: `${model}-cycle-exists`,
  model,
  mask,
  extendedByRw,
});

/** Weakest first, as Elle lists them. */
export const CYCLE_EXISTS_SPECS: readonly CycleExistsSpec[] = [
  spec('PL-1', maskOf(WW)),
  spec('PL-2', maskOf(WW, WR)),
  spec('PL-SI', maskOf(WW, WR), true),
  spec('PL-3', maskOf(WW, WR, RW)),
  spec('strong-session-PL-1', maskOf(WW, PROCESS)),
  spec('strong-session-PL-2', maskOf(WW, WR, PROCESS)),
  spec('strong-session-snapshot-isolation', maskOf(WW, WR, PROCESS), true),
  spec('strong-session-serializable', maskOf(WW, WR, RW, PROCESS)),
  spec('strong-PL-1', maskOf(WW, RT)),
  spec('strong-PL-2', maskOf(WW, WR, RT)),
  spec('strong-snapshot-isolation', maskOf(WW, WR, RT), true),
  spec('PL-SS', maskOf(WW, WR, RW, RT)),
];

/** The nodes of a smallest component of `graph` that is on a cycle of the spec's subgraph, or undefined. */
export function cycleExists(graph: Graph, s: CycleExistsSpec): number[] | undefined {
  const components = s.extendedByRw ? extendedComponents(graph, s.mask) : stronglyConnected(graph, s.mask);
  if (components.length === 0) return undefined;
  return components.reduce((a, b) => (b.length < a.length ? b : a));
}

/**
 * Components of the (node, last edge was rw) graph: a `mask` edge leads to
 * state 0 from either state, an rw edge to state 1 from state 0 only.
 * Returned as sets of original nodes.
 */
function extendedComponents(graph: Graph, mask: number): number[][] {
  const n = graph.nodeCount;
  const offsets = new Int32Array(2 * n + 1);
  const count = (v: number): [number, number] => {
    let plain = 0;
    let rw = 0;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      if ((mask >> graph.kinds[e]!) & 1) plain++;
      else if (graph.kinds[e] === RW) rw++;
    }
    return [plain, rw];
  };
  for (let v = 0; v < n; v++) {
    const [plain, rw] = count(v);
    offsets[2 * v + 1] = offsets[2 * v]! + plain + rw; // (v, 0): plain and rw edges
    offsets[2 * v + 2] = offsets[2 * v + 1]! + plain; // (v, 1): plain edges only
  }
  const targets = new Int32Array(offsets[2 * n]!);
  for (let v = 0; v < n; v++) {
    let at0 = offsets[2 * v]!;
    let at1 = offsets[2 * v + 1]!;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const w = graph.targets[e]!;
      if ((mask >> graph.kinds[e]!) & 1) {
        targets[at0++] = 2 * w;
        targets[at1++] = 2 * w;
      } else if (graph.kinds[e] === RW) targets[at0++] = 2 * w + 1;
    }
  }
  const product = { nodeCount: 2 * n, offsets, targets, kinds: new Uint8Array(targets.length), kindCounts: [] };
  return stronglyConnected(product, 1).map((c) => [...new Set(c.map((x) => x >> 1))].sort((a, b) => a - b));
}
