/**
 * etcd's membership changes (the Reconfigurable capability): `member remove`
 * and `member add` through any member that answers, then stopping the removed
 * member (its data wiped) or starting the added one with empty data as a
 * member of the existing cluster (--initial-cluster-state existing).
 *
 * A removed member's node holds a marker file (etcd.removed in its node
 * directory) until it is added again, so that a restart (the kill fault's
 * `start`, healing) never brings it back on its own: started with an empty
 * data dir it would otherwise try to found a cluster of its own.
 */
import type { TargetContext as AnyTargetContext } from '../target.js';
import { etcdArgv, httpUrl } from './command.js';
import { EtcdGateway, type Member } from './gateway.js';
import type { EtcdOptions } from './options.js';

type TargetContext = AnyTargetContext<EtcdOptions>;

const DAEMON = 'etcd';
const TIMEOUT_MS = 5_000;
const STOP_GRACE_MS = 3_000;

export const removedMarker = (ctx: TargetContext, node: string) => `${ctx.runtime.nodeDir(node)}/etcd.removed`;
const dataDir = (ctx: TargetContext, node: string) => `${ctx.runtime.nodeDir(node)}/etcd.data`;
const logFile = (ctx: TargetContext, node: string) => `${ctx.runtime.nodeDir(node)}/etcd.log`;
const peerUrl = (ctx: TargetContext, node: string) => httpUrl(ctx.runtime.node(node).address, ctx.options.peerPort);

/** True when the node's member was removed and not added back. */
export async function isRemoved(ctx: TargetContext, node: string): Promise<boolean> {
  return (await ctx.runtime.exec(node, ['test', '-e', removedMarker(ctx, node)], { check: false })).exitCode === 0;
}

/**
 * etcd refuses a membership change while the cluster is not healthy enough
 * for it ("etcdserver: unhealthy cluster": a member not connected for the
 * last 5 s, e.g. just after a start or a fault): retried for this long.
 */
const UNHEALTHY_RETRY_MS = 15_000;

/**
 * Runs `use` against the first member (other than `except`) that answers,
 * retrying while etcd says the cluster is unhealthy; throws naming every failure.
 */
async function viaAnyMember<T>(ctx: TargetContext, except: string | undefined, use: (g: EtcdGateway) => Promise<T>) {
  const deadline = Date.now() + UNHEALTHY_RETRY_MS;
  for (;;) {
    try {
      return await viaOneMember(ctx, except, use);
    } catch (err) {
      if (!/unhealthy cluster/.test(String(err)) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function viaOneMember<T>(ctx: TargetContext, except: string | undefined, use: (g: EtcdGateway) => Promise<T>) {
  const failures: string[] = [];
  for (const n of ctx.nodes) {
    if (n.name === except) continue;
    const gateway = new EtcdGateway(httpUrl(n.address, ctx.options.clientPort));
    try {
      return await use(gateway);
    } catch (err) {
      failures.push(`${n.name}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      gateway.close();
    }
  }
  throw new Error(`no etcd member could make the change: ${failures.join('; ')}`);
}

/** The node of a member (by name, or by peer URL for a member added but not started yet). */
function nodeOf(ctx: TargetContext, member: Member): string | undefined {
  if (member.name !== '') return member.name;
  return ctx.nodes.find((n) => member.peerUrls.includes(peerUrl(ctx, n.name)))?.name;
}

/** The nodes that are members now, in cluster order. */
export async function members(ctx: TargetContext): Promise<string[]> {
  const list = await viaAnyMember(ctx, undefined, (g) => g.members(AbortSignal.timeout(TIMEOUT_MS)));
  const names = new Set(list.map((m) => nodeOf(ctx, m)));
  return ctx.nodes.map((n) => n.name).filter((n) => names.has(n));
}

/** Removes the node's member (through another member), then stops it and wipes its data. */
export async function removeMember(ctx: TargetContext, node: string): Promise<void> {
  const list = await viaAnyMember(ctx, node, (g) => g.members(AbortSignal.timeout(TIMEOUT_MS)));
  const member = list.find((m) => nodeOf(ctx, m) === node);
  if (member) await viaAnyMember(ctx, node, (g) => g.removeMember(member.id, AbortSignal.timeout(TIMEOUT_MS)));
  await ctx.runtime.exec(node, ['sh', '-c', ': > "$1"', 'sh', removedMarker(ctx, node)]);
  await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
  await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node)]);
}

/**
 * Adds the node back as a new member (through another member) and starts it
 * with empty data; waits until it joined. Idempotent: a node the cluster
 * already lists (an add whose start never happened, e.g. the controller died
 * in between) is only started, not added twice.
 */
export async function addMember(ctx: TargetContext, node: string): Promise<void> {
  const listed = await viaAnyMember(ctx, node, (g) => g.members(AbortSignal.timeout(TIMEOUT_MS)));
  const already = listed.find((m) => m.peerUrls.includes(peerUrl(ctx, node)));
  if (already?.name === node && (await ctx.runtime.daemonRunning(node, DAEMON))) return;
  await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
  await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node)]);
  const after = already
    ? listed
    : await viaAnyMember(ctx, node, (g) => g.addMember(peerUrl(ctx, node), AbortSignal.timeout(TIMEOUT_MS)));
  const cluster = ctx.nodes.filter((n) => n.name === node || after.some((m) => nodeOf(ctx, m) === n.name));
  const argv = etcdArgv({
    node: ctx.runtime.node(node),
    members: cluster,
    dataDir: dataDir(ctx, node),
    clientPort: ctx.options.clientPort,
    peerPort: ctx.options.peerPort,
    clusterState: 'existing',
  });
  await ctx.runtime.exec(node, ['rm', '-f', removedMarker(ctx, node)]);
  await ctx.runtime.startDaemon(node, { name: DAEMON, argv, env: ctx.nodeEnv(node), logFile: logFile(ctx, node) });
  await joined(ctx, node);
}

/** How long an added member may take to start and join (publish its name). */
const JOIN_TIMEOUT_MS = 30_000;

/** Waits until the cluster lists the node's member under its name: it started and joined. Throws after JOIN_TIMEOUT_MS. */
async function joined(ctx: TargetContext, node: string): Promise<void> {
  const deadline = Date.now() + JOIN_TIMEOUT_MS;
  let last = 'not asked yet';
  while (Date.now() < deadline) {
    try {
      const list = await viaOneMember(ctx, undefined, (g) => g.members(AbortSignal.timeout(TIMEOUT_MS)));
      if (list.some((m) => m.name === node)) return;
      last = `members: ${list.map((m) => m.name || '(not started)').join(', ')}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${node} was added but did not join within ${JOIN_TIMEOUT_MS} ms (${last})`);
}
