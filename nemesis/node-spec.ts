/**
 * Which nodes a kill, pause or packet fault hits: one, a minority, a majority,
 * all, the primaries, or named nodes. Selection is pure; randomness from the Rng.
 */

import { UserError } from '../harness/errors.js';
import type { Rng } from '../harness/generator/generator.js';
import type { Json } from '../harness/history/op.js';
import { hasPrimaries } from '../targets/target.js';
import type { NemesisContext } from './nemesis.js';
import { shuffle } from './partition/grudge.js';
import { names } from './util.js';

export const NODE_SPEC_NAMES = ['one', 'minority', 'majority', 'all', 'primaries'] as const;
export type NodeSpec = (typeof NODE_SPEC_NAMES)[number] | { nodes: string[] };

/**
 * Parses "one", "minority", "majority", "all", "primaries" or a comma-separated
 * list of node names ("n1,n3"). Throws UserError naming `where` otherwise.
 * Node names are checked against the cluster later, by `selectNodes`.
 */
export function parseNodeSpec(text: string, where: string): NodeSpec {
  const trimmed = text.trim();
  if ((NODE_SPEC_NAMES as readonly string[]).includes(trimmed)) return trimmed as NodeSpec;
  const nodes = trimmed
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (nodes.length === 0 || nodes.some((n) => !/^[A-Za-z0-9_.-]+$/.test(n))) {
    throw new UserError(`"${text}" is not a node spec; use ${NODE_SPEC_NAMES.join(', ')} or node names like n1,n3`, {
      where,
    });
  }
  return { nodes };
}

/** The size of a minority of n nodes: floor((n-1)/2) (0 for 1 or 2 nodes). */
export function minoritySize(n: number): number {
  return Math.floor((n - 1) / 2);
}

/** The size of a majority of n nodes: floor(n/2)+1. */
export function majoritySize(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * The nodes a spec selects, in cluster order.
 * - one: one random node; minority / majority: that many random nodes; all: every node.
 * - primaries: `primaries`, which the caller gets from the target. Throws
 *   UserError when it is undefined (the target cannot name its primaries).
 * - named nodes: those nodes; throws UserError naming an unknown one.
 */
export function selectNodes(
  spec: NodeSpec,
  nodes: readonly string[],
  rng: Rng,
  primaries?: readonly string[],
): string[] {
  const inOrder = (chosen: readonly string[]) => nodes.filter((n) => chosen.includes(n));
  if (typeof spec === 'object') {
    const unknown = spec.nodes.filter((n) => !nodes.includes(n));
    if (unknown.length > 0) throw new UserError(`unknown node(s) ${unknown.join(', ')}; nodes are ${nodes.join(', ')}`);
    return inOrder(spec.nodes);
  }
  switch (spec) {
    case 'one':
      return inOrder(shuffle(nodes, rng).slice(0, Math.min(1, nodes.length)));
    case 'minority':
      return inOrder(shuffle(nodes, rng).slice(0, minoritySize(nodes.length)));
    case 'majority':
      return inOrder(shuffle(nodes, rng).slice(0, majoritySize(nodes.length)));
    case 'all':
      return [...nodes];
    case 'primaries':
      if (primaries === undefined)
        throw new UserError('node spec "primaries" needs a target that can name its primaries');
      return inOrder(primaries);
  }
}

/** How a spec is written in results and options. */
export function describeNodeSpec(spec: NodeSpec): string {
  return typeof spec === 'object' ? spec.nodes.join(',') : spec;
}

/**
 * The node spec of an op value: { nodes: "minority" }, { nodes: "n1,n3" } or
 * { nodes: ["n1"] }; `fallback` when the value names none. Throws UserError
 * naming `where` for a string that is not a node spec.
 */
export function specFromValue(value: Json | undefined, fallback: NodeSpec, where: string): NodeSpec {
  const v = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  if (typeof v.nodes === 'string') return parseNodeSpec(v.nodes, where);
  if (Array.isArray(v.nodes)) return { nodes: v.nodes.map(String) };
  return fallback;
}

/**
 * The nodes a spec selects in the context's cluster, asking the target for its
 * primaries when the spec needs them. Throws UserError as `selectNodes` does.
 */
export async function resolveSpec(ctx: NemesisContext, spec: NodeSpec): Promise<string[]> {
  const primaries =
    spec === 'primaries' && hasPrimaries(ctx.target) ? await ctx.target.primaries(ctx.targetCtx) : undefined;
  return selectNodes(spec, names(ctx.runtime.nodes()), ctx.rng, primaries);
}
