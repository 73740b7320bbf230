/**
 * The process target's daemon on a node: start, signal, wait for, and probe
 * it through the runtime, so netns, docker and ssh nodes are treated alike.
 */
import net from 'node:net';
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { TargetContext } from '../target.js';
import type { ProcessOptions } from './options.js';
import {
  memberEnv,
  memberValues,
  type Placeholder,
  placeholderEnv,
  placeholderValues,
  substitute,
} from './placeholders.js';

type Ctx = TargetContext<ProcessOptions>;

/** The daemon's name on each node: its pid file and its log (stdout and stderr) are <nodeDir>/sut.pid and sut.log. */
export const DAEMON = 'sut';

export function dataDir(ctx: Ctx, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/sut.data`;
}

export function daemonLog(ctx: Ctx, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/${DAEMON}.log`;
}

/** Present while the node's member is removed (the membership fault): `start` leaves the node down. */
export function removedMarker(ctx: Ctx, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/${DAEMON}.removed`;
}

/** The placeholder values for `node` (see ./placeholders.ts); {members} and {peers} from `members` (default: every node). */
export function valuesFor(
  ctx: Ctx,
  node: string,
  members: readonly NodeInfo[] = ctx.nodes,
): Record<Placeholder, string> {
  return placeholderValues({
    node: ctx.runtime.node(node),
    nodes: members,
    port: ctx.options.port,
    dataDir: dataDir(ctx, node),
    nodeDir: ctx.runtime.nodeDir(node),
    dir: ctx.workDir ?? process.cwd(),
  });
}

/**
 * Runs one of the options' shell commands on `node`, placeholders filled in,
 * FAULTLINE_* in its environment; with `member`, {member} and
 * {memberAddress} too (the membership commands).
 */
export function runOnNode(
  ctx: Ctx,
  node: string,
  command: string,
  options: { check?: boolean; timeoutMs?: number; member?: NodeInfo } = {},
) {
  const values = valuesFor(ctx, node);
  const member = options.member ? memberValues(options.member) : undefined;
  return ctx.runtime.exec(node, ['sh', '-c', substitute(command, { ...values, ...member })], {
    env: { ...placeholderEnv(values), ...(member ? memberEnv(member) : {}), ...ctx.nodeEnv(node) },
    check: options.check ?? true,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/**
 * Starts the start command (or `join.command`, with {members} the members
 * `join.members`) as the node's daemon.
 */
export async function startDaemon(
  ctx: Ctx,
  node: string,
  join?: { command: string; members: readonly NodeInfo[] },
): Promise<void> {
  const values = valuesFor(ctx, node, join?.members);
  await ctx.runtime.startDaemon(node, {
    name: DAEMON,
    argv: ['sh', '-c', substitute(join?.command ?? ctx.options.start, values)],
    env: { ...placeholderEnv(values), ...ctx.nodeEnv(node) },
    logFile: daemonLog(ctx, node),
  });
}

/** The daemon's process state letter (R, S, T for stopped, ...), or undefined when it is not running. */
export async function processState(ctx: Ctx, node: string): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, DAEMON);
  if (pid === undefined) return undefined;
  const result = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

/** The last lines of the daemon's log on `node` ('' when there is none). */
export async function logTail(ctx: Ctx, node: string, lines = 5): Promise<string> {
  const result = await ctx.runtime.exec(node, ['tail', '-n', String(lines), daemonLog(ctx, node)], { check: false });
  return result.stdout.trim();
}

/** Whether a TCP connection to address:port succeeds within `timeoutMs`. */
export function tcpOpen(address: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** SIGTERM grace before SIGKILL when stopping for good. */
export const STOP_GRACE_MS = 3_000;
/** How long one readiness probe of one node may take. */
export const PROBE_TIMEOUT_MS = 2_000;

/**
 * Runs the stop command (when there is one and the daemon runs; its failure
 * is logged), then stops the daemon (SIGTERM, then SIGKILL).
 */
export async function stopSystem(ctx: Ctx, node: string): Promise<void> {
  if (ctx.options.stop !== undefined && (await ctx.runtime.daemonRunning(node, DAEMON))) {
    const stopped = await runOnNode(ctx, node, ctx.options.stop, { check: false, timeoutMs: 30_000 });
    if (stopped.exitCode !== 0)
      ctx.log.warn(`${node}: the stop command exited ${stopped.exitCode}: ${stopped.stderr.trim().slice(-300)}`);
  }
  await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
}

/** Whether the node passes its readiness check: the ready command exits 0, or else the TCP port accepts. */
export async function isReady(ctx: Ctx, node: string): Promise<boolean> {
  const { readyCommand, readyPort, port } = ctx.options;
  if (readyCommand !== undefined) {
    const probe = await runOnNode(ctx, node, readyCommand, { check: false, timeoutMs: PROBE_TIMEOUT_MS });
    return probe.exitCode === 0 && !probe.timedOut;
  }
  return tcpOpen(ctx.runtime.node(node).address, readyPort ?? port, PROBE_TIMEOUT_MS);
}

/** The readiness check in words, for errors. */
export function readyCheck(ctx: Ctx): string {
  const { readyCommand, readyPort, port } = ctx.options;
  return readyCommand !== undefined ? `ready command: ${readyCommand}` : `TCP port ${readyPort ?? port}`;
}

/**
 * The nodes a command's output names (node names, addresses, address:port
 * or URLs, separated by spaces, commas or lines), each once, in the order named.
 */
export function namedNodes(ctx: Ctx, output: string): string[] {
  const named = output
    .split(/[\s,]+/)
    .filter((token) => token !== '')
    .map((token) => ctx.nodes.find((n) => n.name === token || n.address === hostOf(token))?.name)
    .filter((n): n is string => n !== undefined);
  return [...new Set(named)];
}

/** The host of `10.0.0.2`, `10.0.0.2:2379` or `http://10.0.0.2:2379/`. */
function hostOf(token: string): string {
  return token.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/[/:].*$/, '');
}
