/**
 * Which node does what: the first node is the primary; the next `replicas`
 * nodes (n2, n3, ...) each run a streaming replica and a forwarder to the
 * primary; the rest run only the forwarder. Where a client's transactions
 * go follows from it (routeFor).
 *
 * Why a replica node keeps the forwarder on --port and its replica listens
 * on --replica-port: writes from every node's clients then take the same
 * path as without replicas (node address, --port, through that node's
 * namespace to the primary), so a partition that cuts a node from the
 * primary still cuts its clients' writes, and nothing about a client
 * depends on its node's role except where its read-only transactions go.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { PostgresOptions } from './options.js';

export type NodeRole = 'primary' | 'replica' | 'forwarder';

/** The role of `node` (a node not in `nodes` is a forwarder). */
export function roleOf(nodes: readonly NodeInfo[], options: PostgresOptions, node: string): NodeRole {
  const i = nodes.findIndex((n) => n.name === node);
  if (i === 0) return 'primary';
  return i > 0 && i <= options.replicas ? 'replica' : 'forwarder';
}

/** The nodes that run a replica, in node order. */
export function replicaNodes(nodes: readonly NodeInfo[], options: PostgresOptions): NodeInfo[] {
  return nodes.slice(1, 1 + options.replicas);
}

/** Where a transaction is sent: an address and port, the node that serves it, and whether it is a hot standby. */
export interface Endpoint {
  address: string;
  port: number;
  /** The node whose server answers (the primary's for a forwarder). */
  servedBy: string;
  standby: boolean;
}

/**
 * Where a client opened on `own` sends a transaction: read-only ones, with
 * readFrom "replica", to its own node's replica, or (on the primary or a
 * forwarder-only node) to the replica at the node's position modulo the
 * replica count, so clients spread over the replicas; everything else to
 * its own node's --port (the primary, or the forwarder to it).
 */
export function routeFor(
  nodes: readonly NodeInfo[],
  options: PostgresOptions,
  own: NodeInfo,
  readOnly: boolean,
): Endpoint {
  const primary = nodes[0]?.name ?? own.name;
  const replicas = replicaNodes(nodes, options);
  if (!readOnly || options.readFrom !== 'replica' || replicas.length === 0) {
    return { address: own.address, port: options.port, servedBy: primary, standby: false };
  }
  const mine = replicas.find((r) => r.name === own.name);
  const position = Math.max(
    nodes.findIndex((n) => n.name === own.name),
    0,
  );
  const replica = mine ?? replicas[position % replicas.length]!;
  return { address: replica.address, port: options.replicaPort, servedBy: replica.name, standby: true };
}
