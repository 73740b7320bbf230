/**
 * Grudges: who drops whose packets during a partition (Jepsen's grudges).
 *
 * A grudge maps a node to the nodes it drops inbound traffic from. All
 * functions here are pure; randomness comes from the Rng passed in.
 * A TCP connection needs both directions, so a link a-b is cut when either
 * side holds a grudge against the other (see `cutLinks`).
 */

import { UserError } from '../../harness/errors.js';
import type { Rng } from '../../harness/generator/generator.js';

export type Grudge = Record<string, string[]>;

/** The partition shapes a package can pick from. */
export const PARTITION_SHAPES = ['halves', 'random-halves', 'one', 'majorities-ring', 'bridge', 'primaries'] as const;
export type PartitionShape = (typeof PARTITION_SHAPES)[number];

/** Fisher-Yates shuffle driven by `rng`; returns a new array. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Each node drops every node outside its own component. Nodes in no
 * component are left alone (they see, and are seen by, everyone).
 */
export function complete(components: readonly (readonly string[])[]): Grudge {
  const grudge: Grudge = {};
  const all = components.flat();
  for (const component of components) {
    for (const node of component) grudge[node] = all.filter((other) => !component.includes(other));
  }
  return grudge;
}

/** Splits `nodes` into the first floor(n/2) and the rest. */
export function bisect(nodes: readonly string[]): [string[], string[]] {
  const cut = Math.floor(nodes.length / 2);
  return [nodes.slice(0, cut), nodes.slice(cut)];
}

/** Two halves in node order (the smaller half first), cut from each other. */
export function halves(nodes: readonly string[]): Grudge {
  return complete(bisect(nodes));
}

/** Two halves of shuffled nodes, cut from each other. */
export function randomHalves(nodes: readonly string[], rng: Rng): Grudge {
  return halves(shuffle(nodes, rng));
}

/** One random node cut from all the others (the others still see each other). */
export function isolateOne(nodes: readonly string[], rng: Rng): Grudge {
  const shuffled = shuffle(nodes, rng);
  return complete([shuffled.slice(0, 1), shuffled.slice(1)]);
}

/**
 * Nodes in a shuffled ring; each node sees the nodes within radius r of it,
 * where 2r+1 is the smallest odd number that is a majority. So every node sees
 * a majority, no two nodes see the same set, and the grudge is symmetric.
 * Throws UserError for fewer than 4 nodes: there a majority window covers everyone.
 */
export function majoritiesRing(nodes: readonly string[], rng: Rng): Grudge {
  const n = nodes.length;
  if (n < 4) throw new UserError(`the majorities-ring partition needs at least 4 nodes, this cluster has ${n}`);
  const majority = Math.floor(n / 2) + 1;
  const radius = Math.ceil((majority - 1) / 2);
  const ring = shuffle(nodes, rng);
  const grudge: Grudge = {};
  ring.forEach((node, i) => {
    const seen = new Set<string>();
    for (let d = -radius; d <= radius; d++) seen.add(ring[(i + d + n) % n]!);
    grudge[node] = ring.filter((other) => !seen.has(other));
  });
  return grudge;
}

/**
 * Two halves joined by one node that sees both: the first floor(n/2) nodes,
 * the bridge node, the rest. Throws UserError for fewer than 3 nodes.
 */
export function bridge(nodes: readonly string[]): Grudge {
  if (nodes.length < 3)
    throw new UserError(`the bridge partition needs at least 3 nodes, this cluster has ${nodes.length}`);
  const [left, rest] = bisect(nodes);
  const [bridgeNode, ...right] = rest;
  const grudge = complete([left, right]);
  grudge[bridgeNode!] = [];
  return grudge;
}

/** Every primary alone, and the other nodes together. */
export function isolatePrimaries(nodes: readonly string[], primaries: readonly string[]): Grudge {
  const others = nodes.filter((n) => !primaries.includes(n));
  return complete([...primaries.map((p) => [p]), others]);
}

/**
 * Checks an explicit grudge against the cluster's nodes.
 * Returns it normalised (every node a key, sorted values, no duplicates);
 * throws UserError naming `where` for an unknown node or a node that drops itself.
 */
export function validateGrudge(value: unknown, nodes: readonly string[], where: string): Grudge {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError('a grudge must be an object mapping a node to the nodes it drops, e.g. {"n1":["n2"]}', {
      where,
    });
  }
  const grudge: Grudge = Object.fromEntries(nodes.map((n) => [n, [] as string[]]));
  for (const [node, dropped] of Object.entries(value)) {
    if (!nodes.includes(node)) throw new UserError(`unknown node "${node}"; nodes are ${nodes.join(', ')}`, { where });
    if (!Array.isArray(dropped) || dropped.some((d) => typeof d !== 'string')) {
      throw new UserError(`the grudge of ${node} must be a list of node names`, { where });
    }
    for (const d of dropped as string[]) {
      if (!nodes.includes(d))
        throw new UserError(`unknown node "${d}" in the grudge of ${node}; nodes are ${nodes.join(', ')}`, { where });
      if (d === node) throw new UserError(`${node} cannot drop itself`, { where });
    }
    grudge[node] = [...new Set(dropped as string[])].sort();
  }
  return grudge;
}

/** The links cut by a grudge, as sorted "a|b" keys (a < b): cut when either side drops the other. */
export function cutLinks(grudge: Grudge): Set<string> {
  const links = new Set<string>();
  for (const [node, dropped] of Object.entries(grudge)) {
    for (const other of dropped) links.add(linkKey(node, other));
  }
  return links;
}

export function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
