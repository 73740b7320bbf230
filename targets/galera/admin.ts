/**
 * Administering a Galera node from the controller through the runtime: the
 * `mariadb` command-line client over the node's unix socket as root (no
 * password: root@localhost authenticates by unix_socket), and mariadbd
 * itself for --wsrep-recover. Nothing here opens a network connection, so
 * it works whatever the nemesis does to the network.
 */
import type { TargetContext } from '../target.js';
import { nodeFiles, parseGrastate, parseRecoveredPosition, parseStatus } from './config.js';
import type { GaleraOptions } from './options.js';

type Ctx = TargetContext<GaleraOptions>;

export const DAEMON = 'mariadbd';
/** How long one admin statement may take. */
const ADMIN_TIMEOUT_MS = 5_000;

export function filesOf(ctx: Ctx, node: string) {
  return nodeFiles(ctx.runtime.nodeDir(node));
}

/** Runs SQL as root over the node's socket. Returns the tab-separated rows, or throws with mariadb's message. */
export async function adminSql(ctx: Ctx, node: string, sql: string): Promise<string> {
  const result = await ctx.runtime.exec(
    node,
    ['mariadb', '--no-defaults', `--socket=${filesOf(ctx, node).socket}`, '-uroot', '-N', '-B', '-e', sql],
    { check: false, timeoutMs: ADMIN_TIMEOUT_MS },
  );
  if (result.exitCode !== 0 || result.timedOut) {
    const why = result.timedOut ? 'timed out' : result.stderr.trim() || `exit ${result.exitCode}`;
    throw new Error(`${node}: ${sql.slice(0, 60)}: ${why}`);
  }
  return result.stdout;
}

export interface WsrepStatus {
  clusterSize: number;
  /** Primary, non-Primary or Disconnected. */
  clusterStatus: string;
  /** Synced, Donor/Desynced, Joining, Joined, Initialized, ... */
  localState: string;
  ready: boolean;
  lastCommitted: number;
}

/** The node's wsrep status, or undefined when its server does not answer (down, starting, paused). */
export async function wsrepStatus(ctx: Ctx, node: string): Promise<WsrepStatus | undefined> {
  try {
    const s = parseStatus(await adminSql(ctx, node, "SHOW GLOBAL STATUS LIKE 'wsrep\\_%'"));
    return {
      clusterSize: Number(s.wsrep_cluster_size ?? 0),
      clusterStatus: s.wsrep_cluster_status ?? '',
      localState: s.wsrep_local_state_comment ?? '',
      ready: s.wsrep_ready === 'ON',
      lastCommitted: Number(s.wsrep_last_committed ?? -1),
    };
  } catch {
    return undefined;
  }
}

/**
 * How far the node's stopped server had got: grastate.dat's seqno, or after
 * a crash (seqno -1) the position InnoDB recovered (mariadbd --wsrep-recover).
 * -1 when neither knows; `safe` when grastate says safe_to_bootstrap: 1.
 */
export async function savedPosition(ctx: Ctx, node: string): Promise<{ seqno: number; safe: boolean }> {
  const files = filesOf(ctx, node);
  const read = await ctx.runtime.exec(node, ['cat', files.grastate], { check: false });
  const state = parseGrastate(read.exitCode === 0 ? read.stdout : '');
  if (state.seqno !== undefined && state.seqno >= 0) return { seqno: state.seqno, safe: state.safeToBootstrap };
  const recovered = await ctx.runtime.exec(
    node,
    ['mariadbd', `--defaults-file=${files.cnf}`, '--wsrep-recover', `--log-error=${files.tmpDir}/wsrep-recover.log`],
    { check: false, timeoutMs: 60_000 },
  );
  const log = await ctx.runtime.exec(node, ['cat', `${files.tmpDir}/wsrep-recover.log`], { check: false });
  const seqno = parseRecoveredPosition(`${recovered.stderr}\n${log.stdout}`);
  return { seqno: seqno ?? -1, safe: state.safeToBootstrap };
}

/** Sets safe_to_bootstrap: 1 in the node's grastate.dat, if it has one (Galera refuses --wsrep-new-cluster without it). */
export async function markSafeToBootstrap(ctx: Ctx, node: string): Promise<void> {
  const script = 'test ! -e "$1" || sed -i "s/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/" "$1"';
  await ctx.runtime.exec(node, ['sh', '-c', script, 'sh', filesOf(ctx, node).grastate]);
}
