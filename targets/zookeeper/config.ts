/**
 * The files and the command line of one ZooKeeper server of the ensemble.
 * Pure, so every line can be checked without starting anything.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { ZookeeperOptions } from './options.js';

/** Where Debian's zookeeper package puts the server and its configuration (log4j.properties). */
export const ZOOKEEPER_JAR = '/usr/share/java/zookeeper.jar';
export const DEBIAN_CONF_DIR = '/etc/zookeeper/conf';
/** The log binding (slf4j -> log4j 1.2, both ZooKeeper's Debian dependencies); without it the server logs nothing. */
const LOG_JARS = ['/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'];

export const MAIN_CLASS = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

/** Ticks a follower may be behind (or not hear from) the leader before it drops out. */
export const SYNC_LIMIT_TICKS = 5;
/** Ticks a follower may take to connect to and sync with a new leader. */
export const INIT_LIMIT_TICKS = 20;

/** A node's server id (myid): its position in the cluster, from 1. */
export function serverId(node: NodeInfo, nodes: readonly NodeInfo[]): number {
  const i = nodes.findIndex((n) => n.name === node.name);
  if (i < 0) throw new Error(`${node.name} is not one of the nodes ${nodes.map((n) => n.name).join(', ')}`);
  return i + 1;
}

/** zoo.cfg of a node: every node a voting member, listening on its own address only. */
export function zooCfg(node: NodeInfo, nodes: readonly NodeInfo[], dataDir: string, options: ZookeeperOptions): string {
  const lines = [
    `tickTime=${options.tickTimeMs}`,
    `initLimit=${INIT_LIMIT_TICKS}`,
    `syncLimit=${SYNC_LIMIT_TICKS}`,
    `dataDir=${dataDir}`,
    `clientPortAddress=${node.address}`,
    `clientPort=${options.zkClientPort}`,
    // srvr names each server's mode (leader, follower): HasPrimaries and readiness use it.
    '4lw.commands.whitelist=srvr,ruok',
    'admin.enableServer=false',
    'quorumListenOnAllIPs=false',
    // One client per worker and a few probes; the default (60 per address) would do, but the controller is one address.
    'maxClientCnxns=0',
    'autopurge.purgeInterval=0',
    ...nodes.map((n) => `server.${serverId(n, nodes)}=${n.address}:${options.quorumPort}:${options.electionPort}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** argv of the server: the JVM with a bounded heap, logging to stdout (the daemon's log file). */
export function zookeeperArgv(cfgPath: string, logDir: string, options: ZookeeperOptions): string[] {
  return [
    'java',
    '-Xms32m',
    `-Xmx${options.heapMb}m`,
    // One GC thread and little JIT work: the nodes share a small machine.
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    `-Dzookeeper.log.dir=${logDir}`,
    '-Dzookeeper.root.logger=INFO,CONSOLE',
    `-Dlog4j.configuration=file:${DEBIAN_CONF_DIR}/log4j.properties`,
    '-cp',
    [DEBIAN_CONF_DIR, ZOOKEEPER_JAR, ...LOG_JARS].join(':'),
    MAIN_CLASS,
    cfgPath,
  ];
}
