/**
 * Which packets are delayed: a set of links between nodes. A delayed link is
 * delayed both ways, each packet once, by its sender (the sender's helper holds
 * what it sends to the other end). So a round trip over a delayed link carries
 * the delay twice. Pure functions.
 */
import { UserError } from '../../harness/errors.js';

export type Link = [string, string];

/** Links are written "a-b" in results, a before b in cluster order. */
export function linkName([a, b]: Link): string {
  return `${a}-${b}`;
}

/**
 * Every link with at least one end in `selected` (all links when every node
 * is selected), each once, a before b in cluster order.
 * Throws UserError for an unknown node.
 */
export function linksOfNodes(allNodes: readonly string[], selected: readonly string[]): Link[] {
  for (const n of selected) {
    if (!allNodes.includes(n)) throw new UserError(`unknown node "${n}"; nodes are ${allNodes.join(', ')}`);
  }
  const links: Link[] = [];
  allNodes.forEach((a, i) => {
    for (const b of allNodes.slice(i + 1)) if (selected.includes(a) || selected.includes(b)) links.push([a, b]);
  });
  return links;
}

/**
 * `links` checked and put in cluster order, duplicates dropped. Throws
 * UserError naming `where` for an unknown node, a link from a node to itself,
 * or a value that is not a list of pairs of names.
 */
export function checkLinks(allNodes: readonly string[], links: unknown, where: string): Link[] {
  if (!Array.isArray(links) || links.length === 0) {
    throw new UserError(`expected a non-empty list of links like [["n1", "n2"]], got ${JSON.stringify(links)}`, {
      where,
    });
  }
  const out: Link[] = [];
  for (const l of links) {
    if (!Array.isArray(l) || l.length !== 2 || typeof l[0] !== 'string' || typeof l[1] !== 'string') {
      throw new UserError(`a link is a pair of node names, got ${JSON.stringify(l)}`, { where });
    }
    for (const n of l as string[]) {
      if (!allNodes.includes(n))
        throw new UserError(`unknown node "${n}"; nodes are ${allNodes.join(', ')}`, { where });
    }
    if (l[0] === l[1]) throw new UserError(`a link needs two different nodes, got ${l[0]}-${l[1]}`, { where });
    const link = (allNodes.indexOf(l[0]) < allNodes.indexOf(l[1]) ? [l[0], l[1]] : [l[1], l[0]]) as Link;
    if (!out.some((o) => o[0] === link[0] && o[1] === link[1])) out.push(link);
  }
  return out;
}

/** For each node at an end of a link, the nodes whose packets from it are delayed (pure). */
export function senderPlan(links: readonly Link[]): Record<string, string[]> {
  const plan: Record<string, string[]> = {};
  const add = (from: string, to: string) => {
    const list = (plan[from] ??= []);
    if (!list.includes(to)) list.push(to);
  };
  for (const [a, b] of links) {
    add(a, b);
    add(b, a);
  }
  return plan;
}
