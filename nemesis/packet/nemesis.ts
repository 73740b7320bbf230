/**
 * Packet faults: random loss with the iptables `statistic` match, and an
 * optional rate limit with a tbf qdisc. This kernel has no netem, so latency
 * cannot be injected here: asking for it is a UserError, never a silent no-op
 * (the delay fault, nemesis/delay/, adds latency with a userspace scheduler).
 *
 * Loss drops inbound packets from other nodes only (never the controller's).
 * The rate limit shapes everything a node sends, controller traffic included.
 *
 * Ops:
 * - start-packet, value { probability, rate?, nodes: NodeSpec } (each selected
 *   node loses packets from every other node) or { probability, links: [[a, b], ...] }
 *   (a and b lose packets from each other). Replaces any current packet fault:
 *   nodes outside the new plan lose our rules and tbf. Result
 *   { probability, loss: { node: [from...] }, rate?, rateLimited? }.
 * - stop-packet: removes our rules and qdiscs everywhere. Result { healed: [nodes] }.
 */

import { UserError } from '../../harness/errors.js';
import type { Json } from '../../harness/history/op.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import { type DropRule, installDropRules, PACKET_CHAIN, removeChain } from '../iptables.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import { type NodeExec, sh } from '../node-shell.js';
import { resolveSpec, specFromValue } from '../node-spec.js';
import { attempt, forEachNode, names } from '../util.js';

const KIND: FaultKind = 'packet';
/** The handle of our tbf qdisc, so heal removes ours and only ours. */
export const TBF_HANDLE = '5a17:';

const RATE = /^\d+(\.\d+)?(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$/i;

export interface PacketOptions {
  /** Probability in (0, 1] that a packet from another node is dropped. */
  probability: number;
  /** A tc rate for tbf, e.g. "1mbit"; absent means no rate limit. */
  rate?: string;
  /** Not supported on this kernel (no netem); any value is a UserError. */
  latencyMs?: number;
}

/**
 * Validates packet options; `where` names the option or op in errors.
 * Throws UserError for a probability outside (0, 1], a malformed rate, or any latency.
 */
export function validatePacketOptions(opts: PacketOptions, where: string): PacketOptions {
  if (opts.latencyMs !== undefined) {
    throw new UserError(
      'latency cannot be injected by the packet fault (this kernel has no netem qdisc, sch_netem): use the delay fault (--nemesis delay), a userspace packet scheduler',
      { where },
    );
  }
  if (typeof opts.probability !== 'number' || !(opts.probability > 0 && opts.probability <= 1)) {
    throw new UserError(`loss probability must be a number in (0, 1], got ${JSON.stringify(opts.probability)}`, {
      where,
    });
  }
  if (opts.rate !== undefined && !RATE.test(opts.rate)) {
    throw new UserError(`rate must look like 1mbit, 500kbit or 10mbps, got ${JSON.stringify(opts.rate)}`, { where });
  }
  return opts;
}

/** Which node drops packets from which, for nodes or links (pure). Throws UserError on an unknown node. */
export function lossPlan(
  allNodes: readonly string[],
  target: { nodes: string[] } | { links: [string, string][] },
): Record<string, string[]> {
  const plan: Record<string, string[]> = {};
  const add = (node: string, from: string) => {
    if (!allNodes.includes(node)) throw new UserError(`unknown node "${node}"; nodes are ${allNodes.join(', ')}`);
    if (node === from) throw new UserError(`a link needs two different nodes, got ${node}-${from}`);
    const list = (plan[node] ??= []);
    if (!list.includes(from)) list.push(from);
  };
  if ('nodes' in target) {
    for (const node of target.nodes) for (const other of allNodes) if (other !== node) add(node, other);
  } else {
    for (const [a, b] of target.links) {
      add(a, b);
      add(b, a);
    }
  }
  return plan;
}

const INSTALL_TBF = `dev=$(ip -o -4 route get "$1" | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')
[ -n "$dev" ] || { echo "no route to $1" >&2; exit 1; }
tc qdisc replace dev "$dev" root handle ${TBF_HANDLE} tbf rate "$2" burst 32kbit latency 100ms || exit 1
tc qdisc show dev "$dev" | grep -q "tbf ${TBF_HANDLE}" || { echo "tbf missing on $dev after adding it" >&2; exit 1; }
echo "$dev"`;

const REMOVE_TBF = `for path in /sys/class/net/*; do
  dev=\${path##*/}
  if tc qdisc show dev "$dev" 2>/dev/null | grep -q "tbf ${TBF_HANDLE}"; then tc qdisc del dev "$dev" root || exit 1; fi
done; true`;

/** Removes our loss rules and tbf qdiscs from `nodes`. Idempotent. */
export async function healPacket(runtime: NodeExec, nodes: readonly string[]): Promise<void> {
  await forEachNode(nodes, async (node) => {
    await removeChain(runtime, node, PACKET_CHAIN);
    await sh(runtime, node, REMOVE_TBF);
  });
}

export function packetNemesis(defaults: PacketOptions): Nemesis {
  validatePacketOptions(defaults, 'packet options');
  return {
    name: 'packet',
    fs: ['start-packet', 'stop-packet'],
    async setup(ctx) {
      await checkStateDir(ctx.stateDir);
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const nodes = ctx.runtime.nodes();
      const state = new HealState(ctx.stateDir);
      if (op.f === 'stop-packet') {
        return attempt(async () => {
          await healPacket(ctx.runtime, names(nodes));
          await state.clear(KIND);
          return { healed: names(nodes) };
        });
      }
      return attempt(async () => {
        const { opts, plan } = await planFromOp(ctx, op.value ?? null, defaults, names(nodes));
        await recordFault(ctx, KIND, { nodes: names(nodes), plan, rate: opts.rate ?? null });
        const addressOf = new Map(nodes.map((n) => [n.name, n.address]));
        // Like a partition, the new plan replaces the old one: nodes outside it lose what an earlier plan left.
        await healPacket(
          ctx.runtime,
          names(nodes).filter((n) => plan[n] === undefined),
        );
        await forEachNode(Object.keys(plan), async (node) => {
          const rules: DropRule[] = plan[node]!.map((from) => ({
            source: addressOf.get(from)!,
            probability: opts.probability,
          }));
          await installDropRules(ctx.runtime, node, PACKET_CHAIN, rules);
          // A node in the plan keeps a rate limit only when this op asks for one (INSTALL_TBF replaces it).
          if (opts.rate === undefined) await sh(ctx.runtime, node, REMOVE_TBF);
        });
        const result: Record<string, Json> = { probability: opts.probability, loss: plan };
        if (opts.rate !== undefined) {
          const rate = opts.rate;
          const devs = await forEachNode(Object.keys(plan), async (node) =>
            (await sh(ctx.runtime, node, INSTALL_TBF, [ctx.runtime.controllerAddress(), rate])).stdout.trim(),
          );
          result.rate = rate;
          result.rateLimited = devs;
        }
        return result;
      });
    },
    async heal(ctx) {
      await healPacket(ctx.runtime, names(ctx.runtime.nodes()));
      await new HealState(ctx.stateDir).clear(KIND);
    },
    async teardown() {},
  };
}

async function planFromOp(
  ctx: NemesisContext,
  value: Json,
  defaults: PacketOptions,
  allNodes: string[],
): Promise<{ opts: PacketOptions; plan: Record<string, string[]> }> {
  const where = 'start-packet value';
  const v = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const opts = validatePacketOptions(
    {
      probability: v.probability === undefined ? defaults.probability : (v.probability as number),
      ...(v.rate !== undefined
        ? { rate: v.rate as string }
        : defaults.rate !== undefined
          ? { rate: defaults.rate }
          : {}),
      ...(v.latencyMs !== undefined ? { latencyMs: v.latencyMs as number } : {}),
    },
    where,
  );
  if (Array.isArray(v.links)) {
    if (opts.rate !== undefined) throw new UserError('a rate limit applies to whole nodes, not to links', { where });
    const links = v.links.map((l) => {
      if (!Array.isArray(l) || l.length !== 2 || typeof l[0] !== 'string' || typeof l[1] !== 'string') {
        throw new UserError(`a link is a pair of node names, got ${JSON.stringify(l)}`, { where });
      }
      return [l[0], l[1]] as [string, string];
    });
    return { opts, plan: lossPlan(allNodes, { links }) };
  }
  const selected = await resolveSpec(ctx, specFromValue(value, 'all', where));
  return { opts, plan: lossPlan(allNodes, { nodes: selected }) };
}
