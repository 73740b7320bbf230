/**
 * The etcd command line for one member of a static cluster. Pure, so the
 * flags can be checked without starting anything.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';

export interface EtcdCommandInput {
  node: NodeInfo;
  /** Every member of the cluster, this node included. */
  members: readonly NodeInfo[];
  dataDir: string;
  clientPort: number;
  peerPort: number;
  /** `new` for the first start of the cluster; `existing` for a member added to a running one. Default new. */
  clusterState?: 'new' | 'existing';
}

/**
 * Raft timing tuned for tests on one host: a heartbeat every 50 ms and an
 * election after 500 ms without one (etcd's defaults are 100 / 1000), so a
 * killed or partitioned leader is replaced in about a second.
 */
export const HEARTBEAT_MS = 50;
export const ELECTION_TIMEOUT_MS = 500;

/** http://address:port, with IPv6 addresses in brackets. */
export function httpUrl(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Returns argv for `etcd`. The same argv serves the first start and every
 * restart: etcd ignores the --initial-* flags once its data dir holds a member.
 */
export function etcdArgv(input: EtcdCommandInput): string[] {
  const { node, members, dataDir, clientPort, peerPort } = input;
  const clusterState = input.clusterState ?? 'new';
  return [
    'etcd',
    '--name',
    node.name,
    '--data-dir',
    dataDir,
    '--listen-client-urls',
    httpUrl(node.address, clientPort),
    '--advertise-client-urls',
    httpUrl(node.address, clientPort),
    '--listen-peer-urls',
    httpUrl(node.address, peerPort),
    '--initial-advertise-peer-urls',
    httpUrl(node.address, peerPort),
    '--initial-cluster',
    members.map((m) => `${m.name}=${httpUrl(m.address, peerPort)}`).join(','),
    '--initial-cluster-state',
    clusterState,
    '--initial-cluster-token',
    'faultline',
    '--heartbeat-interval',
    String(HEARTBEAT_MS),
    '--election-timeout',
    String(ELECTION_TIMEOUT_MS),
    '--logger',
    'zap',
    '--log-outputs',
    'stderr',
  ];
}
