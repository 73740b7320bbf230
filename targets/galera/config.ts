/**
 * Where a Galera node keeps its files, and its my.cnf: pure functions of the
 * node, its peers and the options, so they can be tested without a node.
 *
 * Per node, under runtime.nodeDir(node): `galera.data/` (the datadir, wiped
 * by setup and teardown; it also holds the socket and pid file, which the
 * mysql user must be able to create), `galera.tmp/` (its tmpdir), `my.cnf`, and `galera.log`
 * (mariadbd's stderr: its error log, including wsrep's; kept for the results).
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { GaleraOptions } from './options.js';

/** Debian's galera-4 provider library. */
export const WSREP_PROVIDER = '/usr/lib/galera/libgalera_smm.so';

export interface NodeFiles {
  dir: string;
  dataDir: string;
  cnf: string;
  socket: string;
  log: string;
  /** Galera's saved state: uuid, seqno and safe_to_bootstrap. */
  grastate: string;
  /** The server's own temporary directory (the servers of several nodes may share a host's /tmp). */
  tmpDir: string;
}

export function nodeFiles(nodeDir: string): NodeFiles {
  const dataDir = `${nodeDir}/galera.data`;
  return {
    dir: nodeDir,
    dataDir,
    cnf: `${nodeDir}/my.cnf`,
    socket: `${dataDir}/mysqld.sock`,
    log: `${nodeDir}/galera.log`,
    grastate: `${dataDir}/grastate.dat`,
    tmpDir: `${nodeDir}/galera.tmp`,
  };
}

/**
 * The my.cnf of `node` in a cluster of `members`. mariadbd is started as
 * root and switches to the mysql user (Debian's package makes it): run as
 * root, the rsync daemon of a state transfer would switch to `nobody`, who
 * cannot enter the datadir. It listens on the node's address only, and reads nothing from /etc/mysql (it is
 * started with --defaults-file). Small buffers: several nodes share one host.
 */
export function myCnf(o: {
  node: NodeInfo;
  members: readonly NodeInfo[];
  files: NodeFiles;
  options: GaleraOptions;
  clusterName: string;
}): string {
  const { node, files } = o;
  const peers = o.members.map((m) => m.address).join(',');
  const lines = [
    '[mysqld]',
    'user=mysql',
    `datadir=${files.dataDir}`,
    `socket=${files.socket}`,
    `pid-file=${files.dataDir}/mysqld.pid`,
    `tmpdir=${files.tmpDir}`,
    `bind-address=${node.address}`,
    `port=${o.options.sqlPort}`,
    'skip-name-resolve',
    'performance_schema=OFF',
    'innodb_buffer_pool_size=64M',
    'innodb_log_file_size=48M',
    'max_connections=200',
    `innodb_snapshot_isolation=${o.options.snapshotIsolation ? 'ON' : 'OFF'}`,
    `wsrep_sync_wait=${o.options.syncWait}`,
    // What Galera requires: row-based replication, InnoDB, interleaved auto-increment locks.
    'binlog_format=ROW',
    'default_storage_engine=InnoDB',
    'innodb_autoinc_lock_mode=2',
    'wsrep_on=ON',
    `wsrep_provider=${WSREP_PROVIDER}`,
    `wsrep_cluster_name=${o.clusterName}`,
    `wsrep_cluster_address=gcomm://${peers}`,
    `wsrep_node_address=${node.address}`,
    `wsrep_node_name=${node.name}`,
    // rsync needs nothing beyond the rsync package; a joiner with no state gets a full copy.
    'wsrep_sst_method=rsync',
    // Shorter failure detection than the defaults (5 s / 15 s), so short runs see partitions take effect.
    'wsrep_provider_options="gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"',
    '',
  ];
  return lines.join('\n');
}

/**
 * The seqno in a grastate.dat's text, and whether it says safe_to_bootstrap: 1.
 * seqno is -1 after a crash (the position is then only in InnoDB: --wsrep-recover);
 * undefined when the file has no seqno line.
 */
export function parseGrastate(text: string): { seqno: number | undefined; safeToBootstrap: boolean } {
  const seqno = /^seqno:\s*(-?\d+)/m.exec(text);
  return {
    seqno: seqno ? Number(seqno[1]) : undefined,
    safeToBootstrap: /^safe_to_bootstrap:\s*1\b/m.test(text),
  };
}

/** The seqno in mariadbd --wsrep-recover's output ("WSREP: Recovered position: uuid:seqno"), if any. */
export function parseRecoveredPosition(output: string): number | undefined {
  const m = /Recovered position:\s*[0-9a-f-]+:(-?\d+)/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** `SHOW GLOBAL STATUS` rows as `mariadb -N -B` prints them (name TAB value per line) -> a record. */
export function parseStatus(output: string): Record<string, string> {
  const status: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) status[line.slice(0, tab).toLowerCase()] = line.slice(tab + 1).trim();
  }
  return status;
}
