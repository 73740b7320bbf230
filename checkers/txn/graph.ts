/**
 * The dependency graph between transactions: nodes are transaction numbers
 * (0 .. n-1), edges carry a kind (./kinds.ts). Edges are collected in an
 * EdgeList (three growable typed arrays), then frozen into compressed sparse
 * rows (out-edges of node v at offsets[v] .. offsets[v+1]), about five bytes
 * per edge. Self-edges are never stored: a transaction does not depend on
 * itself in Adya's sense.
 */
import { KIND_COUNT } from './kinds.js';

/**
 * Edges per chunk. The first chunk starts small and doubles up to this size;
 * after that the list grows a chunk at a time, never copying (big copies
 * would churn memory, and each big allocation can set off a full garbage
 * collection over everything the history holds).
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

export class EdgeList {
  private readonly froms: Int32Array[] = [];
  private readonly tos: Int32Array[] = [];
  private readonly kinds: Uint8Array[] = [];
  length = 0;

  /** Adds from → to of `kind` (a self-edge is ignored). */
  add(from: number, to: number, kind: number): void {
    if (from === to) return;
    const at = this.length & (CHUNK - 1);
    const c = this.length >>> CHUNK_BITS;
    if (c === this.froms.length || at === this.froms[c]!.length) this.grow(c);
    this.froms[c]![at] = from;
    this.tos[c]![at] = to;
    this.kinds[c]![at] = kind;
    this.length++;
  }

  /** Makes room at chunk c: a new chunk, or the first one doubled. */
  private grow(c: number): void {
    if (c === this.froms.length && c > 0) {
      this.froms.push(new Int32Array(CHUNK));
      this.tos.push(new Int32Array(CHUNK));
      this.kinds.push(new Uint8Array(CHUNK));
      return;
    }
    const size = c === this.froms.length ? 1024 : this.froms[0]!.length * 2;
    const grown = <T extends Int32Array | Uint8Array>(old: T | undefined, make: (n: number) => T): T => {
      const array = make(size);
      if (old) array.set(old);
      return array;
    };
    this.froms[0] = grown(this.froms[0], (n) => new Int32Array(n));
    this.tos[0] = grown(this.tos[0], (n) => new Int32Array(n));
    this.kinds[0] = grown(this.kinds[0], (n) => new Uint8Array(n));
  }

  fromAt(i: number): number {
    return this.froms[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!;
  }

  toAt(i: number): number {
    return this.tos[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!;
  }

  kindAt(i: number): number {
    return this.kinds[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!;
  }

  /** Calls visit(from, to, kind) for every edge, in the order added. */
  forEach(visit: (from: number, to: number, kind: number) => void): void {
    for (let c = 0; c < this.froms.length; c++) {
      const n = Math.min(CHUNK, this.length - c * CHUNK);
      const froms = this.froms[c]!;
      const tos = this.tos[c]!;
      const kinds = this.kinds[c]!;
      for (let i = 0; i < n; i++) visit(froms[i]!, tos[i]!, kinds[i]!);
    }
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
  edges.forEach((from, _to, kind) => {
    offsets[from + 1]!++;
    kindCounts[kind]!++;
  });
  for (let v = 0; v < nodeCount; v++) offsets[v + 1]! += offsets[v]!;
  const fill = offsets.slice(0, nodeCount);
  const targets = new Int32Array(m);
  const kinds = new Uint8Array(m);
  edges.forEach((from, to, kind) => {
    const at = fill[from]!++;
    targets[at] = to;
    kinds[at] = kind;
  });
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
