/**
 * The process target's daemon on a node: start, signal, wait for, and probe
 * it through the runtime, so netns, docker and ssh nodes are treated alike.
 */
import net from 'node:net';
import type { TargetContext } from '../target.js';
import type { ProcessOptions } from './options.js';
import { type Placeholder, placeholderEnv, placeholderValues, substitute } from './placeholders.js';

type Ctx = TargetContext<ProcessOptions>;

/** The daemon's name on each node: its pid file and its log (stdout and stderr) are <nodeDir>/sut.pid and sut.log. */
export const DAEMON = 'sut';

export function dataDir(ctx: Ctx, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/sut.data`;
}

export function daemonLog(ctx: Ctx, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/${DAEMON}.log`;
}

/** The placeholder values for `node` (see ./placeholders.ts). */
export function valuesFor(ctx: Ctx, node: string): Record<Placeholder, string> {
  return placeholderValues({
    node: ctx.runtime.node(node),
    nodes: ctx.nodes,
    port: ctx.options.port,
    dataDir: dataDir(ctx, node),
    nodeDir: ctx.runtime.nodeDir(node),
    dir: ctx.workDir ?? process.cwd(),
  });
}

/** Runs one of the options' shell commands on `node`, placeholders filled in, FAULTLINE_* in its environment. */
export function runOnNode(
  ctx: Ctx,
  node: string,
  command: string,
  options: { check?: boolean; timeoutMs?: number } = {},
) {
  const values = valuesFor(ctx, node);
  return ctx.runtime.exec(node, ['sh', '-c', substitute(command, values)], {
    env: { ...placeholderEnv(values), ...ctx.nodeEnv(node) },
    check: options.check ?? true,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}

/** Starts the start command as the node's daemon. */
export async function startDaemon(ctx: Ctx, node: string): Promise<void> {
  const values = valuesFor(ctx, node);
  await ctx.runtime.startDaemon(node, {
    name: DAEMON,
    argv: ['sh', '-c', substitute(ctx.options.start, values)],
    env: { ...placeholderEnv(values), ...ctx.nodeEnv(node) },
    logFile: daemonLog(ctx, node),
  });
}

/** Polls `check` every `intervalMs` until it returns true; throws after `timeoutMs` naming `what`. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
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
