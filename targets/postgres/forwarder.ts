/**
 * The forwarder on every node but the primary: socat listening on the
 * node's address and port, opening a connection to the primary for each
 * client connection. Clients opened on a node connect to that node, so their
 * traffic to the primary crosses the node's network namespace and a
 * partition that cuts the node from the primary cuts its clients too (the
 * controller itself is never partitioned). Its log is `<nodeDir>/forwarder.log`.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { TargetContext } from '../target.js';
import type { PostgresOptions } from './options.js';

export const FORWARDER = 'forwarder';
export const FORWARDER_PROBE = 'command -v socat >/dev/null';

export const forwarderLog = (ctx: TargetContext<PostgresOptions>, node: string) =>
  `${ctx.runtime.nodeDir(node)}/forwarder.log`;

/** Starts socat on `node`, forwarding its port to the primary's. */
export async function startForwarder(
  ctx: TargetContext<PostgresOptions>,
  node: NodeInfo,
  primary: NodeInfo,
): Promise<void> {
  const { port } = ctx.options;
  await ctx.runtime.startDaemon(node.name, {
    name: FORWARDER,
    // connect-timeout: a connection to a primary cut off by a partition gives up rather than hangs.
    argv: [
      'socat',
      `TCP-LISTEN:${port},bind=${node.address},reuseaddr,fork`,
      `TCP:${primary.address}:${port},connect-timeout=5`,
    ],
    logFile: forwarderLog(ctx, node.name),
  });
}
