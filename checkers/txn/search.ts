/**
 * Cycle search inside one strongly connected component: for each cycle
 * anomaly type, most severe first, the shortest cycle of that type the
 * search can find, so that what is reported is small enough to read.
 *
 * - G0: a breadth-first search from a node back to itself over ww edges.
 * - G1c, G-single-item: anchored on one edge (a wr, an rw), the shortest
 *   path back from its head to its tail over ww and wr edges. For G1c only
 *   anchors inside a component of the ww/wr subgraph can close a cycle, and
 *   each of them does, so a G1c is missed only past the anchor limit.
 * - G-nonadjacent-item, G2-item: anchored on an rw edge, a search over
 *   (node, automaton state) for a path back with at least one more rw edge
 *   (and, for G-nonadjacent, no two rw edges in a row). Such a path may
 *   pass a node twice; it is then cut into simple cycles and one of the
 *   right type is kept.
 *
 * The -process and -realtime variants do the same with those edges allowed
 * (real time runs through time points, see orders.ts; a cycle found through
 * them is reported with each run of them as one rt edge).
 * Every cycle is named by its edges (cycle-types.ts), whatever search found
 * it, and a type implied by one already found in the component is not
 * searched (a G-single-item is also a G-single-item-realtime).
 *
 * Each search tries up to MAX_ANCHORS anchors (exhaustive in small
 * components) within a work limit, keeping the shortest cycle. Anchors that
 * surely close a cycle come first, then those whose head was invoked
 * furthest before their tail: a dependency that points back in time is
 * where anomalies show (a stale read's rw edge points at a transaction that
 * had completed before the reader began).
 */
import { CYCLE_TYPES, type CycleBase, cycleType, splitCycleType } from './cycle-types.js';
import { type Graph, type Subgraph, subgraph } from './graph.js';
import { maskOf, PROCESS, RT, RW, WR, WW } from './kinds.js';
import { impliedAnomalies } from './models.js';
import { type Automaton, automaton, type Path, PathFinder } from './paths.js';
import { stronglyConnected } from './scc.js';

/** A cycle: nodes[i] → nodes[(i + 1) % length] is an edge of kind kinds[i]. Nodes are transaction numbers. */
export interface FoundCycle {
  type: string;
  nodes: number[];
  kinds: number[];
}

const MAX_ANCHORS = 64;
/** Edges a single type's search may look at in one component before it settles for what it has. */
const WORK_LIMIT = 4_000_000;
/** No cycle is shorter: there are no self-edges. */
const SHORTEST_POSSIBLE = 2;

const variantMask = (variant: string): number =>
  variant === '-realtime' ? maskOf(RT) : variant === '-process' ? maskOf(PROCESS) : 0;

/**
 * Searches one component for the cycle types in `types` (searched in
 * CYCLE_TYPES order; a type whose variant's edges the graph lacks is
 * skipped). `scratch` is a global-sized array of -1 (left that way).
 * `stop()` is asked between searches; when it says so, the search returns
 * what it found so far with `complete: false`.
 */
export function searchComponent(
  graph: Graph,
  component: readonly number[],
  types: ReadonlySet<string>,
  includedMask: number,
  scratch: Int32Array,
  stop: () => boolean,
  txnCount = graph.nodeCount,
  time?: ArrayLike<number>,
): { cycles: FoundCycle[]; complete: boolean } {
  const cycles: FoundCycle[] = [];
  const covered = new Set<string>();
  const subgraphs = new Map<number, Subgraph>();
  const sub = (mask: number): Subgraph => {
    let g = subgraphs.get(mask);
    if (!g) subgraphs.set(mask, (g = subgraph(graph, component, mask, scratch)));
    return g;
  };
  for (const type of CYCLE_TYPES) {
    if (!types.has(type) || covered.has(type)) continue;
    const { base, variant } = splitCycleType(type);
    const extra = variantMask(variant);
    if ((extra & includedMask) !== extra) continue;
    if (stop()) return { cycles, complete: false };
    const expanded = searchType(base, extra, sub, txnCount, time);
    if (!expanded) continue;
    const found = collapseTimePoints(expanded, txnCount);
    const foundType = cycleType(found.kinds);
    if (covered.has(foundType)) continue;
    cycles.push({ type: foundType, ...rotateToEarliest(found) });
    for (const t of impliedAnomalies([foundType])) covered.add(t);
  }
  return { cycles, complete: true };
}

/**
 * The cycle without its time points (nodes from txnCount on): a run
 * a → point → ... → point → b is the real-time edge a → b.
 */
function collapseTimePoints(c: LocalCycle, txnCount: number): LocalCycle {
  const nodes: number[] = [];
  const kinds: number[] = [];
  c.nodes.forEach((v, i) => {
    if (v >= txnCount) return;
    nodes.push(v);
    kinds.push(c.nodes[(i + 1) % c.nodes.length]! >= txnCount ? RT : c.kinds[i]!);
  });
  return { nodes, kinds };
}

/** The same cycle, starting at its earliest transaction (so T1 is the first invoked). */
function rotateToEarliest(c: LocalCycle): LocalCycle {
  let at = 0;
  for (let i = 1; i < c.nodes.length; i++) if (c.nodes[i]! < c.nodes[at]!) at = i;
  return {
    nodes: [...c.nodes.slice(at), ...c.nodes.slice(0, at)],
    kinds: [...c.kinds.slice(at), ...c.kinds.slice(0, at)],
  };
}

interface LocalCycle {
  nodes: number[];
  kinds: number[];
}

function searchType(
  base: CycleBase,
  extra: number,
  sub: (mask: number) => Subgraph,
  txnCount: number,
  time: ArrayLike<number> | undefined,
): LocalCycle | undefined {
  const local = (() => {
    switch (base) {
      case 'G0':
        return searchG0(sub(maskOf(WW) | extra), txnCount);
      case 'G1c':
        return anchoredPlain(sub(maskOf(WW, WR) | extra), WR, maskOf(WW, WR) | extra, time);
      case 'G-single-item':
        return anchoredPlain(sub(maskOf(WW, WR, RW) | extra), RW, maskOf(WW, WR) | extra, time);
      case 'G-nonadjacent-item':
        return anchoredProduct(sub(maskOf(WW, WR, RW) | extra), nonadjacentAutomaton(extra), acceptsNonadjacent, time);
      case 'G2-item':
        return anchoredProduct(sub(maskOf(WW, WR, RW) | extra), atLeastOneRwAutomaton(extra), acceptsTwoRw, time);
    }
  })();
  if (!local) return undefined;
  const g = local.graph;
  return { nodes: local.cycle.nodes.map((v) => g.nodes[v]!), kinds: local.cycle.kinds };
}

type LocalResult = { graph: Subgraph; cycle: LocalCycle } | undefined;

/** Keeps the shorter of two cycles. */
const shorter = (a: LocalCycle | undefined, b: LocalCycle | undefined): LocalCycle | undefined =>
  !a ? b : !b ? a : b.nodes.length < a.nodes.length ? b : a;

function searchG0(g: Subgraph, txnCount: number): LocalResult {
  // The subgraph holds only ww edges and the variant's: every edge may be taken.
  const finder = new PathFinder(g, plainAutomaton(~0));
  let best: LocalCycle | undefined;
  let tried = 0;
  for (const component of stronglyConnected(g, ~0)) {
    for (const s of component) {
      if (g.nodes[s]! >= txnCount) continue; // a time point: start from transactions
      if (tried++ >= MAX_ANCHORS || finder.work > WORK_LIMIT) break;
      const path = finder.shortest(s, s);
      if (path) best = shorter(best, { nodes: path.nodes.slice(0, -1), kinds: path.kinds });
      if (best && best.nodes.length <= SHORTEST_POSSIBLE) break;
    }
  }
  return best && { graph: g, cycle: best };
}

/**
 * Cycles made of one `anchorKind` edge u → v and a path back from v to u
 * over the kinds in `pathMask` (BFS paths are simple). When the anchor's
 * kind is itself in pathMask (G1c), the cycle lies in the pathMask subgraph,
 * so only anchors inside one of its components are tried, and every one
 * tried yields a cycle: the search then misses none.
 */
function anchoredPlain(
  g: Subgraph,
  anchorKind: number,
  pathMask: number,
  time: ArrayLike<number> | undefined,
): LocalResult {
  const componentOf = new Int32Array(g.nodeCount).fill(-1);
  stronglyConnected(g, pathMask).forEach((c, i) => {
    for (const v of c) componentOf[v] = i;
  });
  // Head and tail in one component of the path subgraph: the head reaches the tail, a cycle for sure.
  const sure = (u: number, v: number): boolean => componentOf[u] !== -1 && componentOf[u] === componentOf[v];
  // When the anchor's kind is on paths too (G1c), the cycle lies in that subgraph: only sure anchors can work.
  const onlySure = ((pathMask >> anchorKind) & 1) === 1;
  const finder = new PathFinder(g, plainAutomaton(pathMask));
  let best: LocalCycle | undefined;
  let tried = 0;
  for (const [u, v] of anchors(g, anchorKind, time, sure)) {
    if (onlySure && !sure(u, v)) break;
    if (tried++ >= MAX_ANCHORS || finder.work > WORK_LIMIT) break;
    const path = finder.shortest(v, u);
    if (path) best = shorter(best, closeCycle(u, anchorKind, path));
    if (best && best.nodes.length <= SHORTEST_POSSIBLE) break;
  }
  return best && { graph: g, cycle: best };
}

/**
 * Cycles made of one rw edge u → v and a path back from v to u that the
 * automaton accepts, simplified to a simple cycle that `accepts` allows.
 */
function anchoredProduct(
  g: Subgraph,
  machine: Automaton,
  accepts: (kinds: number[]) => boolean,
  time: ArrayLike<number> | undefined,
): LocalResult {
  const finder = new PathFinder(g, machine);
  let best: LocalCycle | undefined;
  let tried = 0;
  for (const [u, v] of anchors(g, RW, time, () => false)) {
    if (tried++ >= MAX_ANCHORS || finder.work > WORK_LIMIT) break;
    const path = finder.shortest(v, u);
    const cycle = path && simplify(closeCycle(u, RW, path), accepts);
    if (cycle) best = shorter(best, cycle);
    if (best && best.nodes.length <= SHORTEST_POSSIBLE) break;
  }
  return best && { graph: g, cycle: best };
}

/** The cycle u → (anchor) → path.nodes[0] = v → ... → u. */
function closeCycle(u: number, anchorKind: number, path: Path): LocalCycle {
  return { nodes: [u, ...path.nodes.slice(0, -1)], kinds: [anchorKind, ...path.kinds] };
}

/**
 * The edges of `kind` (local u, v) in the order to try them: the sure ones
 * first, then by how far back in time the head is from the tail (most first).
 */
function anchors(
  g: Subgraph,
  kind: number,
  time: ArrayLike<number> | undefined,
  sure: (u: number, v: number) => boolean,
): [number, number][] {
  const list: [number, number, number][] = [];
  for (let u = 0; u < g.nodeCount; u++) {
    for (let e = g.offsets[u]!; e < g.offsets[u + 1]!; e++) {
      if (g.kinds[e] !== kind) continue;
      const v = g.targets[e]!;
      const back = time ? time[g.nodes[v]!]! - time[g.nodes[u]!]! : 0;
      list.push([u, v, sure(u, v) ? Number.NEGATIVE_INFINITY : back]);
    }
  }
  return list.sort((a, b) => a[2] - b[2]).map(([u, v]) => [u, v]);
}

/**
 * A closed walk that may pass a node twice, cut into simple cycles until one
 * is left that `accepts` allows (the shorter when both halves are). Returns
 * undefined when no cut leaves an acceptable cycle.
 */
export function simplify(cycle: LocalCycle, accepts: (kinds: number[]) => boolean): LocalCycle | undefined {
  if (!accepts(cycle.kinds)) return undefined;
  const at = new Map<number, number>();
  for (let j = 0; j < cycle.nodes.length; j++) {
    const i = at.get(cycle.nodes[j]!);
    if (i === undefined) {
      at.set(cycle.nodes[j]!, j);
      continue;
    }
    const loop = { nodes: cycle.nodes.slice(i, j), kinds: cycle.kinds.slice(i, j) };
    const rest = {
      nodes: [...cycle.nodes.slice(0, i), ...cycle.nodes.slice(j)],
      kinds: [...cycle.kinds.slice(0, i), ...cycle.kinds.slice(j)],
    };
    return shorter(simplify(loop, accepts), simplify(rest, accepts));
  }
  return cycle;
}

function plainAutomaton(allowed: number): Automaton {
  return automaton(1, 0, [0], (_q, kind) => (((allowed >> kind) & 1) === 1 ? 0 : -1));
}

/**
 * Paths that follow an rw edge (the anchor) and precede it again: first and
 * last edges not rw, no two rw in a row, at least one rw. State = last edge
 * was rw (bit 0) + saw an rw (bit 1); the start is "last was rw".
 */
function nonadjacentAutomaton(extra: number): Automaton {
  const other = maskOf(WW, WR) | extra;
  return automaton(4, 1, [2], (q, kind) => {
    if (kind === RW) return q & 1 ? -1 : 3;
    return ((other >> kind) & 1) === 1 ? q & 2 : -1;
  });
}

/** Paths with at least one rw edge (state 1 once one is taken). */
function atLeastOneRwAutomaton(extra: number): Automaton {
  const other = maskOf(WW, WR) | extra;
  return automaton(2, 0, [1], (q, kind) => (kind === RW ? 1 : ((other >> kind) & 1) === 1 ? q : -1));
}

function rwCount(kinds: number[]): number {
  return kinds.reduce((n, k) => n + (k === RW ? 1 : 0), 0);
}

const acceptsTwoRw = (kinds: number[]): boolean => rwCount(kinds) >= 2;

function acceptsNonadjacent(kinds: number[]): boolean {
  if (rwCount(kinds) < 2) return false;
  return kinds.every((k, i) => k !== RW || kinds[(i + 1) % kinds.length] !== RW);
}
