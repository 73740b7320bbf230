/**
 * Network partitions: each node drops inbound packets from the nodes it holds
 * a grudge against, with iptables rules in our own chain. Only node addresses
 * are dropped, so the controller always reaches every node.
 *
 * Ops:
 * - start-partition, value { shape } (one of PARTITION_SHAPES) or { grudge }:
 *   replaces any current partition. Result { shape?, grudge }.
 * - stop-partition: removes our chain from every node. Result { healed: [nodes] }.
 */

import { UserError } from '../../harness/errors.js';
import type { Rng } from '../../harness/generator/generator.js';
import type { Json } from '../../harness/history/op.js';
import { hasPrimaries } from '../../targets/target.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import { installDropRules, PARTITION_CHAIN, removeChain } from '../iptables.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import type { NodeExec } from '../node-shell.js';
import { attempt, forEachNode, names } from '../util.js';
import {
  bridge,
  type Grudge,
  halves,
  isolateOne,
  isolatePrimaries,
  majoritiesRing,
  PARTITION_SHAPES,
  type PartitionShape,
  randomHalves,
  validateGrudge,
} from './grudge.js';

const KIND: FaultKind = 'partition';

/** The grudge for a shape. Throws UserError when the shape does not fit the cluster or target. */
export function grudgeForShape(
  shape: PartitionShape,
  nodes: readonly string[],
  rng: Rng,
  primaries?: readonly string[],
): Grudge {
  switch (shape) {
    case 'halves':
      return halves(nodes);
    case 'random-halves':
      return randomHalves(nodes, rng);
    case 'one':
      return isolateOne(nodes, rng);
    case 'majorities-ring':
      return majoritiesRing(nodes, rng);
    case 'bridge':
      return bridge(nodes);
    case 'primaries':
      if (primaries === undefined)
        throw new UserError('the primaries partition needs a target that can name its primaries (HasPrimaries)');
      if (primaries.length === 0) throw new UserError('the target names no primaries right now');
      return isolatePrimaries(nodes, primaries);
  }
}

export function isPartitionShape(x: unknown): x is PartitionShape {
  return typeof x === 'string' && (PARTITION_SHAPES as readonly string[]).includes(x);
}

/**
 * Applies `grudge`: every node with a grudge gets exactly those drop rules,
 * every other node loses any rules of ours. Rejects when a node fails.
 */
export async function applyGrudge(
  runtime: NodeExec,
  nodes: readonly { name: string; address: string }[],
  grudge: Grudge,
): Promise<void> {
  const addressOf = new Map(nodes.map((n) => [n.name, n.address]));
  await forEachNode(names(nodes), async (node) => {
    const dropped = grudge[node] ?? [];
    if (dropped.length === 0) return removeChain(runtime, node, PARTITION_CHAIN);
    await installDropRules(
      runtime,
      node,
      PARTITION_CHAIN,
      dropped.map((d) => ({ source: addressOf.get(d)! })),
    );
  });
}

/** Removes our partition chain from `nodes`. Idempotent. */
export async function healPartition(runtime: NodeExec, nodes: readonly string[]): Promise<void> {
  await forEachNode(nodes, (node) => removeChain(runtime, node, PARTITION_CHAIN));
}

export function partitionNemesis(): Nemesis {
  return {
    name: 'partition',
    fs: ['start-partition', 'stop-partition'],
    async setup(ctx) {
      await checkStateDir(ctx.stateDir);
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const nodes = ctx.runtime.nodes();
      const state = new HealState(ctx.stateDir);
      if (op.f === 'stop-partition') {
        return attempt(async () => {
          await healPartition(ctx.runtime, names(nodes));
          await state.clear(KIND);
          return { healed: names(nodes) };
        });
      }
      let shape: PartitionShape | undefined;
      let grudge: Grudge | undefined;
      return attempt(
        async () => {
          ({ shape, grudge } = await chooseGrudge(ctx, op.value ?? null, names(nodes)));
          // Written before the fault: a controller killed mid-way still leaves enough to heal.
          await recordFault(ctx, KIND, { nodes: names(nodes), grudge });
          await applyGrudge(ctx.runtime, nodes, grudge);
          const result: Record<string, Json> = { grudge };
          if (shape) result.shape = shape;
          return result;
        },
        () => (grudge ? { grudge, partial: true } : null),
      );
    },
    async heal(ctx) {
      const state = new HealState(ctx.stateDir);
      await healPartition(ctx.runtime, names(ctx.runtime.nodes()));
      await state.clear(KIND);
    },
    async teardown() {},
  };
}

async function chooseGrudge(
  ctx: NemesisContext,
  value: Json,
  nodes: string[],
): Promise<{ shape?: PartitionShape; grudge: Grudge }> {
  const where = 'start-partition value';
  if (nodes.length < 2) throw new UserError(`a partition needs at least 2 nodes, the runtime lists ${nodes.length}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError('expected { "shape": ... } or { "grudge": {...} }', { where });
  }
  if ('grudge' in value) return { grudge: validateGrudge(value.grudge, nodes, where) };
  const shape = value.shape;
  if (!isPartitionShape(shape)) {
    throw new UserError(`unknown partition shape ${JSON.stringify(shape)}; known: ${PARTITION_SHAPES.join(', ')}`, {
      where,
    });
  }
  const primaries =
    shape === 'primaries' && hasPrimaries(ctx.target) ? await ctx.target.primaries(ctx.targetCtx) : undefined;
  return { shape, grudge: grudgeForShape(shape, nodes, ctx.rng, primaries) };
}
