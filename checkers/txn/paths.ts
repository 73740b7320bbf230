/**
 * Shortest paths under a constraint on the kinds of their edges: breadth-
 * first search over (node, automaton state) pairs. The automaton says, for
 * each state and edge kind, the next state (or that the edge may not be
 * taken), and in which states arriving at the target ends the path. With one
 * state and every kind allowed it is a plain BFS.
 *
 * For example "exactly one rw edge": state 0 (no rw yet) goes to 1 on rw,
 * stays on the others; state 1 stays on the others and has no rw move; only
 * state 1 accepts.
 */
import type { Subgraph } from './graph.js';
import { KIND_COUNT } from './kinds.js';

export interface Automaton {
  readonly states: number;
  /** next[q * KIND_COUNT + kind]: the state after taking an edge of `kind` in state q; -1: not allowed. */
  readonly next: Int8Array;
  readonly start: number;
  /** accept[q] = 1: reaching the target in state q ends the path. */
  readonly accept: Uint8Array;
}

/** An automaton from a transition function over (state, kind). */
export function automaton(
  states: number,
  start: number,
  accept: readonly number[],
  step: (state: number, kind: number) => number,
): Automaton {
  const next = new Int8Array(states * KIND_COUNT);
  for (let q = 0; q < states; q++) for (let k = 0; k < KIND_COUNT; k++) next[q * KIND_COUNT + k] = step(q, k);
  const acceptArray = new Uint8Array(states);
  for (const q of accept) acceptArray[q] = 1;
  return { states, next, start, accept: acceptArray };
}

/** A path: nodes[0] → nodes[1] → ... with kinds[i] the kind of the edge nodes[i] → nodes[i + 1]. */
export interface Path {
  nodes: number[];
  kinds: number[];
}

/** Breadth-first search on one subgraph with one automaton; scratch space is reused across searches. */
export class PathFinder {
  private readonly seen: Int32Array;
  private readonly parent: Int32Array;
  private readonly parentKind: Uint8Array;
  private readonly queue: Int32Array;
  private stamp = 0;
  /** Edges looked at so far, over all searches (for work limits). */
  work = 0;

  constructor(
    private readonly graph: Subgraph,
    private readonly machine: Automaton,
  ) {
    const size = graph.nodeCount * machine.states;
    this.seen = new Int32Array(size);
    this.parent = new Int32Array(size);
    this.parentKind = new Uint8Array(size);
    this.queue = new Int32Array(size);
  }

  /**
   * The shortest path from `from` to `to` (local numbers) that the automaton
   * accepts, with at least one edge (so from === to asks for a cycle).
   * Returns undefined when there is none.
   */
  shortest(from: number, to: number): Path | undefined {
    const { offsets, targets, kinds } = this.graph;
    const { states, next, start, accept } = this.machine;
    const stamp = ++this.stamp;
    let head = 0;
    let tail = 0;
    const origin = from * states + start;
    this.seen[origin] = stamp;
    this.parent[origin] = -1;
    this.queue[tail++] = origin;
    while (head < tail) {
      const s = this.queue[head++]!;
      const v = (s / states) | 0;
      const q = s - v * states;
      for (let e = offsets[v]!; e < offsets[v + 1]!; e++) {
        this.work++;
        const kind = kinds[e]!;
        const q2 = next[q * KIND_COUNT + kind]!;
        if (q2 < 0) continue;
        const w = targets[e]!;
        const s2 = w * states + q2;
        if (w === to && accept[q2] === 1) return this.path(s, v, w, kind);
        if (this.seen[s2] === stamp) continue;
        this.seen[s2] = stamp;
        this.parent[s2] = s;
        this.parentKind[s2] = kind;
        this.queue[tail++] = s2;
      }
    }
    return undefined;
  }

  private path(last: number, v: number, to: number, kind: number): Path {
    const states = this.machine.states;
    const nodes = [to, v];
    const kindsOut = [kind];
    for (let s = last; this.parent[s] !== -1; s = this.parent[s]!) {
      kindsOut.push(this.parentKind[s]!);
      nodes.push((this.parent[s]! / states) | 0);
    }
    nodes.reverse();
    kindsOut.reverse();
    return { nodes, kinds: kindsOut };
  }
}
