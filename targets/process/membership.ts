/**
 * The process target's membership changes (the Reconfigurable capability),
 * from the config's commands: `members` prints the cluster's members;
 * `addMember` and `removeMember` change it, run on a member other than the
 * one changed ({member}, {memberAddress} name that one), on each in turn
 * until one exits 0, retried for a while (clusters refuse changes just after
 * a fault or a start). faultline then stops a removed node and wipes its
 * data, or starts an added one with empty data (the join command, default
 * start, with {members} the members after the add) and waits until it is ready.
 *
 * A removed node holds a marker (sut.removed in its node folder) until it is
 * added again, so that a restart (the kill fault's start, healing) leaves it
 * down: started with empty data it could otherwise found a cluster of its own.
 */
import type { ExecResult } from '../../harness/runtime/runtime.js';
import type { TargetContext } from '../target.js';
import {
  DAEMON,
  dataDir,
  isReady,
  logTail,
  namedNodes,
  readyCheck,
  removedMarker,
  runOnNode,
  STOP_GRACE_MS,
  startDaemon,
  stopSystem,
} from './node.js';
import type { ProcessOptions } from './options.js';

type Ctx = TargetContext<ProcessOptions>;

/** How long one run of a membership command may take. */
const COMMAND_TIMEOUT_MS = 10_000;
/** A change no member would make is tried again for this long. */
const CHANGE_RETRY_MS = 15_000;
/** How long an added member may take to start and be ready. */
const JOIN_TIMEOUT_MS = 30_000;

/** The membership commands; throws when the options have none (the schema gives all three or none). */
function commands(ctx: Ctx): { members: string; addMember: string; removeMember: string } {
  const { members, addMember, removeMember } = ctx.options;
  if (members === undefined || addMember === undefined || removeMember === undefined) {
    throw new Error('the process target cannot change membership without members, addMember and removeMember commands');
  }
  return { members, addMember, removeMember };
}

/** Whether the options give the membership commands. */
export function hasMembershipCommands(options: ProcessOptions): boolean {
  return options.members !== undefined && options.addMember !== undefined && options.removeMember !== undefined;
}

/** True while the node's member is removed and not added back. */
export async function isRemoved(ctx: Ctx, node: string): Promise<boolean> {
  return (await ctx.runtime.exec(node, ['test', '-e', removedMarker(ctx, node)], { check: false })).exitCode === 0;
}

/**
 * The nodes the members command names, in cluster order, asked on each node
 * whose system runs until one answers (exit 0). Throws naming each node's
 * failure when none does.
 */
export async function members(ctx: Ctx): Promise<string[]> {
  const command = commands(ctx).members;
  const failures: string[] = [];
  for (const { name } of ctx.nodes) {
    if (!(await ctx.runtime.daemonRunning(name, DAEMON))) continue;
    const answer = await runOnNode(ctx, name, command, { check: false, timeoutMs: COMMAND_TIMEOUT_MS });
    if (answer.exitCode === 0 && !answer.timedOut) {
      const named = new Set(namedNodes(ctx, answer.stdout));
      return ctx.nodes.map((n) => n.name).filter((n) => named.has(n));
    }
    failures.push(`${name}: ${failure(answer)}`);
  }
  throw new Error(`no node answered the members command: ${failures.join('; ') || 'the system runs on no node'}`);
}

/** Removes the node's member (through another member, unless it is no member now), then stops it and wipes its data. */
export async function removeMember(ctx: Ctx, node: string): Promise<void> {
  const { removeMember: command } = commands(ctx);
  if ((await members(ctx)).includes(node)) await throughAnotherMember(ctx, node, command, 'removeMember');
  await ctx.runtime.exec(node, ['sh', '-c', ': > "$1"', 'sh', removedMarker(ctx, node)]);
  await stopSystem(ctx, node);
  await wipeData(ctx, node);
}

/**
 * Adds the node back as a new member (through another member) and starts it
 * with empty data; waits until it is ready. Idempotent: a node the cluster
 * lists already (an add whose start never happened: the controller died in
 * between) is only started, and one that is a member and runs is left alone.
 * Throws when no member makes the change, or the node is not ready in time.
 */
export async function addMember(ctx: Ctx, node: string): Promise<void> {
  const { addMember: command } = commands(ctx);
  const current = await members(ctx);
  const running = await ctx.runtime.daemonRunning(node, DAEMON);
  if (current.includes(node) && running && !(await isRemoved(ctx, node))) return;
  await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
  await wipeData(ctx, node);
  if (!current.includes(node)) await throughAnotherMember(ctx, node, command, 'addMember');
  const after = ctx.nodes.filter((n) => n.name === node || current.includes(n.name));
  await ctx.runtime.exec(node, ['rm', '-f', removedMarker(ctx, node)]);
  await startDaemon(ctx, node, { command: ctx.options.join ?? ctx.options.start, members: after });
  await ready(ctx, node);
}

/**
 * Runs a membership command about `node` on the other nodes whose system
 * runs, in turn, until one exits 0; tries again every 500 ms for
 * CHANGE_RETRY_MS. Throws naming each node's last failure.
 */
async function throughAnotherMember(ctx: Ctx, node: string, command: string, key: string): Promise<void> {
  const member = ctx.runtime.node(node);
  const deadline = Date.now() + CHANGE_RETRY_MS;
  for (;;) {
    const failures: string[] = [];
    for (const { name } of ctx.nodes) {
      if (name === node || !(await ctx.runtime.daemonRunning(name, DAEMON))) continue;
      const answer = await runOnNode(ctx, name, command, { check: false, timeoutMs: COMMAND_TIMEOUT_MS, member });
      if (answer.exitCode === 0 && !answer.timedOut) return;
      failures.push(`${name}: ${failure(answer)}`);
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `${key} of ${node} failed on every other node: ${failures.join('; ') || 'the system runs on none'}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits until the node's system passes its readiness check; throws when it exits or after JOIN_TIMEOUT_MS. */
async function ready(ctx: Ctx, node: string): Promise<void> {
  const deadline = Date.now() + JOIN_TIMEOUT_MS;
  for (;;) {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) {
      const tail = await logTail(ctx, node);
      throw new Error(`${node} was added but its system exited${tail ? `: ${tail}` : ''}`);
    }
    if (await isReady(ctx, node)) return;
    if (Date.now() >= deadline) {
      throw new Error(`${node} was added but not ready within ${JOIN_TIMEOUT_MS} ms (${readyCheck(ctx)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function wipeData(ctx: Ctx, node: string): Promise<void> {
  await ctx.runtime.exec(node, ['sh', '-c', 'rm -rf "$1" && mkdir -p "$1"', 'sh', dataDir(ctx, node)]);
}

/** A command's failure in a few words: its exit code or timeout, and the end of its output. */
function failure(answer: ExecResult): string {
  const said = (answer.stderr.trim() || answer.stdout.trim()).slice(-200);
  const how = answer.timedOut ? `timed out after ${COMMAND_TIMEOUT_MS} ms` : `exit ${answer.exitCode}`;
  return said ? `${how}: ${said}` : how;
}
