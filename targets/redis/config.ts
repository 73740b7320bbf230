/**
 * The configuration files of one node: redis.conf for the Redis server and
 * sentinel.conf for its Sentinel. Pure, so every line can be checked without
 * starting anything. Both files live in the node's directory and must stay
 * writable: Sentinel rewrites its own file as it learns the cluster, and
 * rewrites redis.conf (CONFIG REWRITE) when it makes a node a replica, so a
 * node restarted after a kill comes back in the role it last had.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { RedisOptions } from './options.js';

/** The name the sentinels monitor the primary under. */
export const MASTER_NAME = 'faultline';

export interface NodeConfigInput {
  node: NodeInfo;
  /** The node that is primary when the cluster is first set up (the first node). */
  initialPrimary: NodeInfo;
  /** Every node of the cluster, this one included. */
  nodes: readonly NodeInfo[];
  /** Where the server keeps its data (RDB/AOF files). */
  dataDir: string;
  options: RedisOptions;
}

/** The number of sentinels that must agree the primary is down: a majority of them (one per node). */
export function sentinelQuorum(nodeCount: number): number {
  return Math.floor(nodeCount / 2) + 1;
}

/** redis.conf of a node: the first node starts as primary, the others as its replicas. */
export function redisConf(input: NodeConfigInput): string {
  const { node, initialPrimary, dataDir, options } = input;
  const lines = [
    `bind ${node.address}`,
    `port ${options.redisPort}`,
    'protected-mode no',
    'daemonize no',
    `dir ${dataDir}`,
    // No RDB snapshots; persistence only when asked for (appendOnly).
    'save ""',
    `appendonly ${options.appendOnly ? 'yes' : 'no'}`,
    'appendfsync everysec',
    `min-replicas-to-write ${options.minReplicasToWrite}`,
    `min-replicas-max-lag ${options.minReplicasMaxLag}`,
    // A replica cut off from its primary still answers reads (Redis's default), with what it has.
    'replica-serve-stale-data yes',
    'replica-read-only yes',
    // Full resyncs start at once instead of waiting 5 s for more replicas.
    'repl-diskless-sync-delay 0',
  ];
  if (node.name !== initialPrimary.name) lines.push(`replicaof ${initialPrimary.address} ${options.redisPort}`);
  return `${lines.join('\n')}\n`;
}

/** sentinel.conf of a node: monitor the initial primary, with a majority quorum. */
export function sentinelConf(input: NodeConfigInput): string {
  const { node, initialPrimary, nodes, dataDir, options } = input;
  const lines = [
    `bind ${node.address}`,
    `port ${options.sentinelPort}`,
    'protected-mode no',
    'daemonize no',
    `dir ${dataDir}`,
    'sentinel resolve-hostnames no',
    `sentinel announce-ip ${node.address}`,
    `sentinel monitor ${MASTER_NAME} ${initialPrimary.address} ${options.redisPort} ${sentinelQuorum(nodes.length)}`,
    `sentinel down-after-milliseconds ${MASTER_NAME} ${options.downAfterMs}`,
    `sentinel failover-timeout ${MASTER_NAME} ${options.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${MASTER_NAME} 1`,
  ];
  return `${lines.join('\n')}\n`;
}
