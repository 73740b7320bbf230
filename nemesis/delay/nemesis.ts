/**
 * The delay fault: latency, jitter, reordering, duplication and a rate limit
 * on links between nodes. Where a node's kernel has netem (mechanism "auto",
 * the default, probes each node once), a netem qdisc does it (netem.ts);
 * elsewhere (this machine) a userspace packet scheduler: iptables NFQUEUE
 * rules hand each node's packets for the delayed peers to a helper inside the
 * node, which holds each packet for its delay.
 * One implementation for netns, docker and ssh (runtime exec, startDaemon, copyTo).
 *
 * Ops:
 * - start-delay, value { nodes?: NodeSpec, links?: [[a, b], ...], ...DelayOptions }:
 *   delays every link with an end in `nodes` (default "all": every link), or
 *   the given links, both ways; options default to the nemesis's. Replaces any
 *   current delay. With controller: true (nodes only), the selected nodes'
 *   packets to the controller are delayed too. Result: the options applied, the links, and the round trip
 *   measured on up to MEASURED_LINKS links before and after
 *   ({ measured: { "n1-n2": { before, after, addedMs } }, measuredDelayMs }),
 *   measuredDelayMs being half the added median RTT (each link is delayed both ways).
 * - stop-delay: removes the rules and stops the helpers everywhere.
 *   Result { healed: [nodes], stats: { node: helper and kernel counts }, helperDied?: [nodes] }:
 *   a helper that died during the delay (its packets then flowed undelayed,
 *   --queue-bypass) is named there and in warnings().
 */
import { UserError } from '../../harness/errors.js';
import type { Json } from '../../harness/history/op.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import { resolveSpec, specFromValue } from '../node-spec.js';
import { attempt, forEachNode, names } from '../util.js';
import { healDelay } from './heal.js';
import { HELPER_DAEMON, installHelper, startHelper, stopHelper } from './helper.js';
import { measureRtt, type RttSummary, summarize } from './measure.js';
import { installNetem, probeNetem, removeNetem } from './netem.js';
import { DELAY_DEFAULTS, type DelayOptions, helperArgs, type Mechanism, parseDelayOptions } from './options.js';
import { checkLinks, type Link, linkName, linksOfNodes, senderPlan } from './plan.js';
import { DELAY_QUEUE, DUP_MARK, installDelayRules, removeDelayRules } from './rules.js';

export const DELAY_KIND: FaultKind = 'delay';
/** How many links a start-delay measures, and how many round trips on each. */
export const MEASURED_LINKS = 3;
const MEASURE_SAMPLES = 10;

const TARGET_KEYS = ['nodes', 'links'];

interface DelayPlan {
  opts: DelayOptions;
  links: Link[];
  /** Sender node -> the addresses whose packets from it are delayed. */
  destinations: Record<string, string[]>;
}

/** Reads a start-delay value into a plan. Throws UserError naming the option at fault. */
async function planFromOp(ctx: NemesisContext, value: Json, defaults: DelayOptions): Promise<DelayPlan> {
  const where = 'start-delay value';
  if (value !== null && (typeof value !== 'object' || Array.isArray(value))) {
    throw new UserError(`expected an object, got ${JSON.stringify(value)}`, { where });
  }
  const v = value ?? {};
  const optionPart = Object.fromEntries(Object.entries(v).filter(([k]) => !TARGET_KEYS.includes(k)));
  const opts = parseDelayOptions(optionPart, where, defaults);
  const all = names(ctx.runtime.nodes());
  if (all.length < 2) throw new UserError(`a delay needs at least 2 nodes, the runtime lists ${all.length}`);
  if (v.links !== undefined && v.nodes !== undefined) {
    throw new UserError('give nodes or links, not both', { where });
  }
  if (v.links !== undefined && opts.controller) {
    throw new UserError('controller: true goes with nodes (their packets to the controller), not with links', {
      where: `${where}.controller`,
    });
  }
  const selected = v.links !== undefined ? [] : await resolveSpec(ctx, specFromValue(v, 'all', `${where}.nodes`));
  const links = v.links !== undefined ? checkLinks(all, v.links, `${where}.links`) : linksOfNodes(all, selected);
  const addressOf = new Map(ctx.runtime.nodes().map((n) => [n.name, n.address]));
  const destinations = Object.fromEntries(
    Object.entries(senderPlan(links)).map(([node, peers]) => {
      const addresses = peers.map((p) => addressOf.get(p)!);
      if (opts.controller && selected.includes(node)) addresses.push(ctx.runtime.controllerAddress());
      return [node, addresses];
    }),
  );
  return { opts, links, destinations };
}

type Measured = Record<string, RttSummary>;

/** Round trips over `links` (from the first end to the second), in parallel; by link name. */
async function measureLinks(ctx: NemesisContext, links: readonly Link[], timeoutMs: number): Promise<Measured> {
  const summaries = await Promise.all(
    links.map(async ([a, b]) => {
      const address = ctx.runtime.node(b).address;
      // One timeout ends a link's probe: a partitioned link must not hold up the (serialized) nemesis.
      const r = (await measureRtt(ctx.runtime, a, [address], { count: MEASURE_SAMPLES, timeoutMs, giveUpAfter: 1 }))[
        address
      ]!;
      return summarize(r.samplesMs, r.timeouts);
    }),
  );
  return Object.fromEntries(links.map((l, i) => [linkName(l), summaries[i]!]));
}

/** Half the mean added median RTT over the measured links: the one-way delay seen (null when none measured). */
function measuredDelayMs(
  before: Measured,
  after: Measured,
): { perLink: Record<string, Json>; oneWayMs: number | null } {
  const perLink: Record<string, Json> = {};
  const added: number[] = [];
  for (const [link, a] of Object.entries(after)) {
    const b = before[link];
    const addedMs =
      a.medianMs !== null && b?.medianMs != null ? Math.round((a.medianMs - b.medianMs) * 100) / 100 : null;
    if (addedMs !== null) added.push(addedMs);
    perLink[link] = { before: (b ?? null) as Json, after: a as unknown as Json, addedMs };
  }
  const oneWayMs = added.length === 0 ? null : Math.round((added.reduce((s, x) => s + x, 0) / added.length) * 5) / 10;
  return { perLink, oneWayMs };
}

/** One mechanism for all nodes when they agree, else the mechanism of each node. */
function describeMechanisms(byNode: Record<string, 'netem' | 'nfqueue'>): Json {
  const kinds = new Set(Object.values(byNode));
  return kinds.size === 1 ? [...kinds][0]! : byNode;
}

/** The options as recorded in a result. */
function describeOptions(opts: DelayOptions): Record<string, Json> {
  const out: Record<string, Json> = {
    delayMs: opts.delayMs,
    jitterMs: opts.jitterMs,
    distribution: opts.distribution,
    reorder: opts.reorder,
    duplicate: opts.duplicate,
    controller: opts.controller,
  };
  if (opts.rate !== undefined) out.rate = opts.rate;
  return out;
}

/**
 * The delay nemesis; `defaults` are the options a start-delay value does not
 * give. Throws UserError for bad defaults (see parseDelayOptions).
 */
export function delayNemesis(defaults: Partial<DelayOptions> = {}): Nemesis {
  const base = parseDelayOptions(defaults, 'delay options');
  /** Whether each node's kernel has netem, probed once per node. */
  const netem = new Map<string, boolean>();
  const chooseMechanism = async (ctx: NemesisContext, node: string, wanted: Mechanism) => {
    if (wanted === 'nfqueue') return 'nfqueue';
    if (!netem.has(node)) netem.set(node, (await probeNetem(ctx.runtime, node)) === 'yes');
    if (netem.get(node)) return 'netem';
    if (wanted === 'netem') throw new Error(`netem is not available on ${node} (mechanism: "netem" was asked for)`);
    return 'nfqueue';
  };
  /** The nodes whose helpers the current delay started: each must still run when it is healed. */
  let active: string[] = [];
  const warnings: string[] = [];
  /** Heals every node; resolves with the helpers' counts and the nodes whose helper had died meanwhile. */
  const healAll = async (ctx: NemesisContext) => {
    const stats = await healDelay(ctx.runtime, names(ctx.runtime.nodes()));
    const died = active.filter((n) => stats[n] === undefined);
    active = [];
    if (died.length > 0) {
      const warning = `the delay helper died on ${died.join(', ')} during a delay: packets then went undelayed (see ${HELPER_DAEMON}.log in the node directory)`;
      ctx.log.warn(`delay nemesis: ${warning}`);
      if (!warnings.includes(warning)) warnings.push(warning);
    }
    return { stats, died };
  };
  return {
    name: 'delay',
    fs: ['start-delay', 'stop-delay'],
    async setup(ctx) {
      await checkStateDir(ctx.stateDir);
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const all = names(ctx.runtime.nodes());
      const state = new HealState(ctx.stateDir);
      if (op.f === 'stop-delay') {
        return attempt(async () => {
          const { stats, died } = await healAll(ctx);
          await state.clear(DELAY_KIND);
          const result: Record<string, Json> = { healed: all, stats };
          if (died.length > 0) result.helperDied = died;
          return result;
        });
      }
      let links: Link[] | undefined;
      return attempt(
        async () => {
          const plan = await planFromOp(ctx, op.value ?? null, base);
          links = plan.links;
          // Written before the fault: a controller killed mid-way still leaves enough to heal.
          await recordFault(ctx, DELAY_KIND, { nodes: all, links: plan.links });
          const senders = Object.keys(plan.destinations);
          // The new plan replaces the old one: nodes outside it lose what an earlier plan left.
          await healDelay(
            ctx.runtime,
            all.filter((n) => !senders.includes(n)),
          );
          await forEachNode(senders, async (node) => {
            await removeDelayRules(ctx.runtime, node);
            await installHelper(ctx.runtime, node);
          });
          const toMeasure = plan.links.slice(0, MEASURED_LINKS);
          // An undelayed link answers within milliseconds: a second without an answer means it is cut.
          const before = await measureLinks(ctx, toMeasure, 1_000);
          const mechanisms = await forEachNode(senders, (node) => chooseMechanism(ctx, node, plan.opts.mechanism));
          active = active.filter((n) => senders.includes(n) && mechanisms[n] === 'nfqueue');
          await forEachNode(senders, async (node) => {
            const destinations = plan.destinations[node]!;
            await removeNetem(ctx.runtime, node);
            if (mechanisms[node] === 'netem') {
              await stopHelper(ctx.runtime, node);
              await installNetem(ctx.runtime, node, plan.opts, destinations);
              return;
            }
            const seed = ctx.rng.int(2 ** 31);
            await startHelper(ctx.runtime, node, helperArgs(plan.opts, DELAY_QUEUE, DUP_MARK, seed));
            if (!active.includes(node)) active.push(node);
            await installDelayRules(ctx.runtime, node, destinations);
          });
          // Long enough for a round trip at the far end of the delay distribution.
          const timeoutMs = Math.ceil(2 * (plan.opts.delayMs + 4 * plan.opts.jitterMs)) + 1_000;
          const after = await measureLinks(ctx, toMeasure, timeoutMs);
          const { perLink, oneWayMs } = measuredDelayMs(before, after);
          return {
            ...describeOptions(plan.opts),
            links: plan.links.map(linkName),
            mechanism: describeMechanisms(mechanisms),
            measured: perLink,
            measuredDelayMs: oneWayMs,
          };
        },
        () => (links ? { links: links.map(linkName), partial: true } : null),
      );
    },
    async heal(ctx) {
      await healAll(ctx);
      await new HealState(ctx.stateDir).clear(DELAY_KIND);
    },
    async teardown() {},
    warnings: () => [...warnings],
  };
}

export { DELAY_DEFAULTS };
