/**
 * The PostgreSQL server on the primary node, and on each replica node a
 * streaming replica of it (a hot standby, made by basebackup), as the
 * `postgres` system user (PostgreSQL refuses to run as root): initdb (or
 * basebackup) into `<nodeDir>/pg.data`, its Unix socket in
 * `<nodeDir>/pg.sock` (so no two nodes share
 * /var/run/postgresql), its log (stderr) in `<nodeDir>/postgres.log`.
 * Every setting is on the command line (a replica's primary_conninfo too),
 * so the data directory holds only what initdb wrote (and pg_hba.conf's
 * lines for the cluster's addresses), or on a replica what basebackup copied
 * and standby.signal.
 *
 * The daemon is `setpriv ... postgres`: setpriv changes the user and execs,
 * so the pid file names the postmaster itself, and its backends share its
 * process group (a SIGKILL or SIGSTOP of the group reaches them all).
 */
import { ALIVE } from '../../harness/runtime/daemon.js';
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { TargetContext } from '../target.js';
import type { PostgresOptions } from './options.js';

/** The system user the server runs as (Debian's postgresql package creates it). */
export const PG_USER = 'postgres';
export const SERVER = 'postgres';

type Ctx = TargetContext<PostgresOptions>;

export const dataDir = (ctx: Ctx, node: string) => `${ctx.runtime.nodeDir(node)}/pg.data`;
export const socketDir = (ctx: Ctx, node: string) => `${ctx.runtime.nodeDir(node)}/pg.sock`;
export const serverLog = (ctx: Ctx, node: string) => `${ctx.runtime.nodeDir(node)}/postgres.log`;

/** Debian installs each major version under /usr/lib/postgresql/<major>/bin; the newest wins. */
const BIN_DIR = 'ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1';
export const SERVER_PROBE = `[ -x "$(${BIN_DIR})/postgres" ] && id -u ${PG_USER} >/dev/null`;

/** The node's PostgreSQL bin directory. Throws when none is installed. */
export async function binDir(ctx: Ctx, node: string): Promise<string> {
  const { stdout } = await ctx.runtime.exec(node, ['sh', '-c', BIN_DIR]);
  const dir = stdout.trim();
  if (dir === '')
    throw new Error(`${node}: no PostgreSQL under /usr/lib/postgresql (is the postgresql package installed?)`);
  return dir;
}

const asPgUser = ['setpriv', `--reuid=${PG_USER}`, `--regid=${PG_USER}`, '--init-groups', '--'];

/** Wipes the node's data, socket directory and log, and makes them again, empty, for the postgres user. */
async function freshDirs(ctx: Ctx, node: string): Promise<void> {
  await ctx.runtime.exec(node, [
    'sh',
    '-c',
    'rm -rf "$1" "$2" && mkdir -p "$1" "$2" && : > "$3" && chown "$4:" "$1" "$2" "$3" && chmod 700 "$1"',
    'sh',
    dataDir(ctx, node),
    socketDir(ctx, node),
    serverLog(ctx, node),
    PG_USER,
  ]);
}

/**
 * Wipes the node's data, socket directory and log, and runs initdb (trust
 * authentication: the cluster is a throwaway on a private subnet) with
 * pg_hba.conf lines letting any address of the cluster in, for queries and
 * for replication (the replicas' basebackup and streaming).
 */
export async function initdb(ctx: Ctx, node: string): Promise<void> {
  const bin = await binDir(ctx, node);
  await freshDirs(ctx, node);
  await ctx.runtime.exec(
    node,
    [...asPgUser, `${bin}/initdb`, '-D', dataDir(ctx, node), '-U', PG_USER, '--auth=trust', '-E', 'UTF8', '--locale=C'],
    { cwd: dataDir(ctx, node), timeoutMs: 120_000 },
  );
  await ctx.runtime.exec(node, [
    'sh',
    '-c',
    'printf "host all all 0.0.0.0/0 trust\\nhost replication all 0.0.0.0/0 trust\\n" >> "$1/pg_hba.conf"',
    'sh',
    dataDir(ctx, node),
  ]);
}

/** The physical replication slot of a replica node on the primary (slot names are [a-z0-9_]). */
export function slotName(node: string): string {
  return `faultline_${node.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
}

/**
 * The statements, run on the primary, that (re)create the node's physical
 * replication slot, reserving WAL at once: the primary then keeps every
 * segment from before the node's basebackup on (even while another
 * replica's basebackup checkpoints), and later the WAL a killed or
 * partitioned replica has not received yet, so it can always catch up.
 */
export function slotStatements(node: string): string[] {
  const slot = slotName(node);
  return [
    `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '${slot}'`,
    `SELECT pg_create_physical_replication_slot('${slot}', true)`,
  ];
}

/**
 * Makes the node a replica of `primary`, once its slot exists
 * (slotStatements): wipes the node's data, copies the primary's with
 * pg_basebackup (WAL streamed alongside, -X stream, through the slot; a
 * fast checkpoint), and writes standby.signal. The connection settings are
 * on startServer's command line, like every other.
 */
export async function basebackup(ctx: Ctx, node: string, primary: NodeInfo): Promise<void> {
  const bin = await binDir(ctx, node);
  await freshDirs(ctx, node);
  await ctx.runtime.exec(
    node,
    [
      ...asPgUser,
      `${bin}/pg_basebackup`,
      `--dbname=host=${primary.address} port=${ctx.options.port} user=${PG_USER} application_name=${node}`,
      '-D',
      dataDir(ctx, node),
      '-X',
      'stream',
      '-S',
      slotName(node),
      '--checkpoint=fast',
      '--no-password',
    ],
    { cwd: dataDir(ctx, node), timeoutMs: 120_000 },
  );
  await ctx.runtime.exec(node, [...asPgUser, 'touch', `${dataDir(ctx, node)}/standby.signal`]);
}

// $1 = data directory, $2 = socket directory. A SIGKILLed postmaster can
// linger as a zombie until whoever inherited it reaps it, and PostgreSQL
// refuses to start while the pid in its lock files (postmaster.pid, and the
// socket's .lock) exists at all. A lock naming a process that is gone or a
// zombie is stale (the whole tree was killed): remove it, and its socket.
const CLEAR_STALE_LOCKS = `${ALIVE}
for lock in "$1/postmaster.pid" "$2"/.s.PGSQL.*.lock; do
  [ -f "$lock" ] || continue
  read -r pid < "$lock" || continue
  alive "$pid" || rm -f "$lock" "\${lock%.lock}"
done`;

/**
 * Starts the postmaster on the node's address (with the node's extra
 * environment, e.g. libfaketime): the primary on --port; with `primary`
 * given, a hot standby streaming from it, on --replica-port (its data made
 * by basebackup).
 */
export async function startServer(ctx: Ctx, node: NodeInfo, primary?: NodeInfo): Promise<void> {
  const bin = await binDir(ctx, node.name);
  await ctx.runtime.exec(node.name, [
    'sh',
    '-c',
    CLEAR_STALE_LOCKS,
    'sh',
    dataDir(ctx, node.name),
    socketDir(ctx, node.name),
  ]);
  const settings = {
    listen_addresses: node.address,
    port: String(primary ? ctx.options.replicaPort : ctx.options.port),
    unix_socket_directories: socketDir(ctx, node.name),
    max_connections: '200',
    shared_buffers: '32MB',
    // Durable commits: a SIGKILL must not lose an acknowledged transaction.
    fsync: 'on',
    synchronous_commit: 'on',
    logging_collector: 'off',
    log_line_prefix: '%m [%p] %q%a ',
    // A deadlock is found within 100 ms rather than the default second.
    deadlock_timeout: '100ms',
    ...(primary ? standbySettings(ctx, node, primary) : primarySettings(ctx)),
  };
  const argv = [
    ...asPgUser,
    `${bin}/postgres`,
    '-D',
    dataDir(ctx, node.name),
    ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
  ];
  await ctx.runtime.startDaemon(node.name, {
    name: SERVER,
    argv,
    env: ctx.nodeEnv(node.name),
    cwd: dataDir(ctx, node.name),
    logFile: serverLog(ctx, node.name),
  });
}

/** The primary's replication settings: a WAL sender and a slot per replica, and a few to spare. */
function primarySettings(ctx: Ctx): Record<string, string> {
  const senders = String(Math.max(10, ctx.options.replicas + 4));
  return {
    wal_level: 'replica',
    max_wal_senders: senders,
    max_replication_slots: senders,
    // A replica cut off by a partition is noticed within 10 s rather than a minute.
    wal_sender_timeout: '10s',
  };
}

/**
 * A hot standby's settings: where it streams from (its slot), answering
 * read-only queries while it replays. Asynchronous: the primary
 * acknowledges a commit without waiting for any replica (no
 * synchronous_standby_names), which is where stale reads come from.
 */
function standbySettings(ctx: Ctx, node: NodeInfo, primary: NodeInfo): Record<string, string> {
  return {
    hot_standby: 'on',
    primary_conninfo: `host=${primary.address} port=${ctx.options.port} user=${PG_USER} application_name=${node.name} connect_timeout=5`,
    primary_slot_name: slotName(node.name),
    // The primary's vacuum keeps rows a standby query still reads: fewer reads cancelled by recovery conflicts.
    hot_standby_feedback: 'on',
    // A dead connection to the primary is noticed within 10 s, and a new one tried every second.
    wal_receiver_timeout: '10s',
    wal_retrieve_retry_interval: '1s',
  };
}

// $1 = signal, $2 = the postmaster's pid. PostgreSQL's children each call
// setsid(), so a signal to the postmaster's process group misses them: list
// its children from /proc and signal them one by one. For KILL and STOP the
// postmaster is stopped first, so it forks nothing new while we look (and its
// children keep it as their parent: a dead postmaster's would be reparented).
const SIGNAL_TREE = `sig=$1 pid=$2
[ "$sig" = CONT ] || kill -s STOP "$pid" || exit 1
kids=
for f in /proc/[0-9]*/stat; do
  read -r s < "$f" 2>/dev/null || continue
  rest=\${s##*) }; ppid=\${rest#* }; ppid=\${ppid%% *}
  [ "$ppid" = "$pid" ] && { k=\${f#/proc/}; kids="$kids \${k%/stat}"; }
done
kill -s "$sig" $kids "$pid"`;

/**
 * Sends `signal` to the postmaster and every process it forked (see
 * SIGNAL_TREE). Throws when the server is not running.
 */
export async function signalServerTree(ctx: Ctx, node: string, signal: 'KILL' | 'STOP' | 'CONT'): Promise<void> {
  const pid = await ctx.runtime.daemonPid(node, SERVER);
  if (pid === undefined) throw new Error(`${node}: postgres is not running`);
  await ctx.runtime.exec(node, ['sh', '-c', SIGNAL_TREE, 'sh', signal, String(pid)]);
}
