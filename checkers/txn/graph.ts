/**
 * The dependency graph between transactions: nodes are transaction numbers
 * (0 .. n-1), edges carry a kind (./kinds.ts). Edges are collected in an
 * EdgeList (three growable typed arrays), then frozen into compressed sparse
 * rows (out-edges of node v at offsets[v] .. offsets[v+1]), about five bytes
 * per edge. Self-edges are never stored: a transaction does not depend on
 * itself in Adya's sense.
 */
import { KIND_COUNT } from './kinds.js';

export class EdgeList {
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  kind = new Uint8Array(1024);
  length = 0;

  /** Adds from → to of `kind` (a self-edge is ignored). */
  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    if (this.length === this.from.length) this.grow();
    const i = this.length++;
    this.from[i] = from;
    this.to[i] = to;
    this.kind[i] = kind;
  }

  private grow(): void {
    const size = this.from.length * 2;
    const from = new Int32Array(size);
    from.set(this.from);
    const to = new Int32Array(size);
    to.set(this.to);
    const kind = new Uint8Array(size);
    kind.set(this.kind);
    this.from = from;
    this.to = to;
    this.kind = kind;
  }
}

export interface Graph {
  readonly nodeCount: number;
  /** Out-edges of v are at offsets[v] .. offsets[v + 1] - 1. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly kinds: Uint8Array;
  /** How many edges of each kind. */
  readonly kindCounts: number[];
}

/** Freezes an edge list into compressed sparse rows (a counting sort by source). */
export function buildGraph(nodeCount: number, edges: EdgeList): Graph {
  const offsets = new Int32Array(nodeCount + 1);
  const m = edges.length;
  const kindCounts = new Array<number>(KIND_COUNT).fill(0);
  for (let i = 0; i < m; i++) {
    offsets[edges.from[i]! + 1]!++;
    kindCounts[edges.kind[i]!]!++;
  }
  for (let v = 0; v < nodeCount; v++) offsets[v + 1]! += offsets[v]!;
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(m);
  const kinds = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const at = fill[edges.from[i]!]!++;
    targets[at] = edges.to[i]!;
    kinds[at] = edges.kind[i]!;
  }
  return { nodeCount, offsets, targets, kinds, kindCounts };
}

/** Whether from → to of `kind` is an edge of `graph`. */
export function hasEdge(graph: Graph, from: number, to: number, kind: number): boolean {
  for (let e = graph.offsets[from]!; e < graph.offsets[from + 1]!; e++) {
    if (graph.targets[e] === to && graph.kinds[e] === kind) return true;
  }
  return false;
}

/**
 * A subgraph on some nodes, renumbered 0 .. n-1 (`nodes[local]` is the global
 * number), keeping only edges between them whose kind is in `mask`.
 */
export interface Subgraph extends Graph {
  readonly nodes: Int32Array;
}

/**
 * The subgraph of `graph` on `nodes` with the edges of the kinds in `mask`.
 * `scratch` is a global-sized array that must hold -1 everywhere; it is
 * left that way.
 */
export function subgraph(graph: Graph, nodes: ArrayLike<number>, mask: number, scratch: Int32Array): Subgraph {
  const n = nodes.length;
  const global = Int32Array.from(nodes);
  for (let i = 0; i < n; i++) scratch[global[i]!] = i;
  const offsets = new Int32Array(n + 1);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = global[i]!;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      if ((mask >> graph.kinds[e]!) & 1 && scratch[graph.targets[e]!] !== -1) m++;
    }
    offsets[i + 1] = m;
  }
  const targets = new Int32Array(m);
  const kinds = new Uint8Array(m);
  const kindCounts = new Array<number>(KIND_COUNT).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = global[i]!;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const w = scratch[graph.targets[e]!]!;
      if ((mask >> graph.kinds[e]!) & 1 && w !== -1) {
        targets[at] = w;
        kinds[at++] = graph.kinds[e]!;
        kindCounts[graph.kinds[e]!]!++;
      }
    }
  }
  for (let i = 0; i < n; i++) scratch[global[i]!] = -1;
  return { nodeCount: n, nodes: global, offsets, targets, kinds, kindCounts };
}
