/**
 * The PostgreSQL target: one primary (the first node); on every other node a
 * forwarder to it (forwarder.ts), so that each client talks to the node it
 * was opened on and a partition between that node and the primary cuts it
 * off; and, with --replicas N, on the next N nodes also a streaming replica
 * (a hot standby of the primary, asynchronous) that --read-from replica
 * sends read-only transactions to (topology.ts says which node does what and
 * why the forwarder stays). The servers run as the `postgres` user
 * (server.ts); their isolation level is the --isolation option, from which
 * the consistency models checked follow (isolation.ts).
 *
 * Per node, under runtime.nodeDir(node): on the primary and the replicas
 * `pg.data/` and `pg.sock/` (wiped by setup and teardown) and
 * `postgres.log`; on the others (replicas included) `forwarder.log`. Logs
 * are kept.
 *
 * Faults: kill SIGKILLs the node's daemons: the postmaster and every backend
 * (server.ts signalServerTree), and the forwarder's process group; start
 * brings them back (the postmaster runs crash recovery; a replica then
 * streams again from its slot). Pause SIGSTOPs them the same way. The clock
 * fault's libfaketime takes effect (PostgreSQL reads the time through libc).
 * There is no failover: while the primary is down, writes fail everywhere and
 * the replicas go on serving reads of what they had replayed.
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import { ensurePackages } from '../install.js';
import { waitFor, waitUntilReady } from '../ready.js';
import type {
  TargetContext as AnyTargetContext,
  ClockSensitivity,
  HasPrimaries,
  Killable,
  NodeCountLimits,
  Pausable,
  Target,
  TransactionalModels,
} from '../target.js';
import { BANK_TABLE, PgBankClient } from './clients/bank.js';
import { PgTxnClient, TXN_TABLES } from './clients/txn.js';
import { FORWARDER, FORWARDER_PROBE, forwarderLog, startForwarder } from './forwarder.js';
import { promisedModels } from './isolation.js';
import { type PostgresOptions, postgresOptionsSchema, replicasProblem } from './options.js';
import { probe } from './probe.js';
import {
  basebackup,
  dataDir,
  initdb,
  SERVER,
  SERVER_PROBE,
  serverLog,
  signalServerTree,
  slotStatements,
  socketDir,
  startServer,
} from './server.js';
import { replicaNodes, roleOf } from './topology.js';

type TargetContext = AnyTargetContext<PostgresOptions>;
type Daemon = typeof SERVER | typeof FORWARDER;

/** How long a fast shutdown (SIGINT) may take before the daemon helpers SIGKILL it. */
const SHUTDOWN_MS = 10_000;
/** How long a replica's setup waits for the primary (set up at the same time) to answer. */
const PRIMARY_WAIT_MS = 120_000;

const primaryOf = (ctx: TargetContext): NodeInfo => ctx.nodes[0]!;
const role = (ctx: TargetContext, node: string) => roleOf(ctx.nodes, ctx.options, node);

/** The daemons a node runs: the server on the primary, the forwarder elsewhere, both on a replica. */
function daemonsOf(ctx: TargetContext, node: string): Daemon[] {
  switch (role(ctx, node)) {
    case 'primary':
      return [SERVER];
    case 'replica':
      return [SERVER, FORWARDER];
    case 'forwarder':
      return [FORWARDER];
  }
}

/** The process state letter of one of the node's daemons (R, S, T for stopped, ...), or undefined when it is not running. */
async function processState(ctx: TargetContext, node: string, daemon: Daemon): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, daemon);
  if (pid === undefined) return undefined;
  const result = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

/** Starts the node's daemons that are not running. */
async function startNode(ctx: TargetContext, node: string): Promise<void> {
  const info = ctx.runtime.node(node);
  const primary = primaryOf(ctx);
  for (const daemon of daemonsOf(ctx, node)) {
    if (await ctx.runtime.daemonRunning(node, daemon)) continue;
    if (daemon === FORWARDER) await startForwarder(ctx, info, primary);
    else await startServer(ctx, info, role(ctx, node) === 'replica' ? primary : undefined);
  }
}

/** Stops the node's daemons: a server with a fast shutdown (SIGINT) first, then SIGTERM/SIGKILL. Idempotent. */
async function stopNode(ctx: TargetContext, node: string): Promise<void> {
  for (const name of daemonsOf(ctx, node)) {
    if (name === SERVER && (await ctx.runtime.daemonRunning(node, name))) {
      // A paused server (and its paused backends) could not act on SIGINT.
      await signalServerTree(ctx, node, 'CONT').catch(() => {});
      await ctx.runtime.signalDaemon(node, name, 'SIGINT').catch(() => {});
      await waitFor(
        `${node}: postgres to shut down`,
        SHUTDOWN_MS,
        async () => !(await ctx.runtime.daemonRunning(node, name)),
      ).catch(() => {});
    }
    await ctx.runtime.stopDaemon(node, name, 1_000);
  }
}

/** Empties the node's forwarder log (making its folder). */
async function freshForwarderLog(ctx: TargetContext, node: string): Promise<void> {
  await ctx.runtime.exec(node, ['sh', '-c', 'mkdir -p "$(dirname "$1")" && : > "$1"', 'sh', forwarderLog(ctx, node)]);
}

/** Why the replicas are not all streaming and caught up with the primary's WAL, or '' when they are. */
async function replicasBehind(ctx: TargetContext): Promise<string> {
  const replicas = replicaNodes(ctx.nodes, ctx.options);
  if (replicas.length === 0) return '';
  const primary = primaryOf(ctx);
  const { port, replicaPort } = ctx.options;
  const [current] = await probe(primary, port, ['SELECT pg_current_wal_lsn()::text AS lsn']);
  const lsn = String(current?.lsn);
  const senders = await probe(primary, port, ['SELECT application_name AS name, state FROM pg_stat_replication']);
  const streaming = new Set(senders.filter((s) => s.state === 'streaming').map((s) => String(s.name)));
  for (const r of replicas) {
    if (!streaming.has(r.name)) return `${r.name} is not streaming from ${primary.name} (pg_stat_replication)`;
    const [state] = await probe(r, replicaPort, [
      `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS caught_up, ` +
        'pg_last_wal_replay_lsn()::text AS replayed',
    ]);
    if (state?.standby !== true) return `${r.name} is not in recovery (not a standby)`;
    if (state.caught_up !== true) return `${r.name} has replayed up to ${String(state.replayed)}, not ${lsn} yet`;
  }
  return '';
}

class PostgresTarget
  implements
    Target<PostgresOptions>,
    Killable<PostgresOptions>,
    Pausable<PostgresOptions>,
    HasPrimaries<PostgresOptions>,
    ClockSensitivity,
    TransactionalModels<PostgresOptions>,
    NodeCountLimits<PostgresOptions>
{
  readonly name = 'postgres';
  readonly description =
    'PostgreSQL (Debian postgresql): a primary on the first node, forwarders on the others, --replicas streaming ' +
    'replicas; transactions at --isolation';
  readonly options = postgresOptionsSchema;
  readonly packages = ['postgresql', 'socat'];
  readonly clients = {
    'list-append': (ctx: TargetContext) => new PgTxnClient('list-append', ctx.options, ctx.nodes),
    'rw-register': (ctx: TargetContext) => new PgTxnClient('rw-register', ctx.options, ctx.nodes),
    bank: (ctx: TargetContext) => new PgBankClient(ctx.options, ctx.nodes, ctx.workloadOptions ?? { concurrency: 1 }),
  };
  /** PostgreSQL is a C program: it reads the clock through libc, which libfaketime replaces. */
  readonly ignoresFaketime = undefined;

  consistencyModels(options: PostgresOptions): string[] {
    return promisedModels(options.isolation, options.readFrom === 'replica' && options.replicas > 0);
  }

  /** --replicas must leave the first node to the primary. */
  optionsProblem(options: PostgresOptions, nodeCount: number): { key: string; message: string } | undefined {
    const message = replicasProblem(options, nodeCount);
    return message === undefined ? undefined : { key: 'replicas', message };
  }

  /** Makes sure PostgreSQL and socat are on the node; installs them with apt-get if not. */
  async install(ctx: TargetContext, node: string): Promise<void> {
    await ensurePackages(ctx, node, this.packages, `${SERVER_PROBE} && ${FORWARDER_PROBE}`);
  }

  /**
   * The primary: a fresh initdb, then the server. A replica: once the
   * primary answers, a fresh basebackup of it, then the standby and the
   * forwarder. Elsewhere: the forwarder. Forwarder logs are emptied.
   */
  async setup(ctx: TargetContext, node: string): Promise<void> {
    await stopNode(ctx, node);
    const primary = primaryOf(ctx);
    switch (role(ctx, node)) {
      case 'primary':
        await initdb(ctx, node);
        break;
      case 'replica':
        await freshForwarderLog(ctx, node);
        await waitFor(
          `${node}: the primary ${primary.name} to answer before basebackup`,
          PRIMARY_WAIT_MS,
          () =>
            probe(primary, ctx.options.port, ['SELECT 1']).then(
              () => true,
              () => false,
            ),
          200,
        );
        await probe(primary, ctx.options.port, slotStatements(node));
        await basebackup(ctx, node, primary);
        break;
      case 'forwarder':
        await freshForwarderLog(ctx, node);
        break;
    }
    await startNode(ctx, node);
  }

  /** Starts the node's daemons again (a server on its existing data); does nothing for those running. */
  async start(ctx: TargetContext, node: string): Promise<void> {
    await startNode(ctx, node);
  }

  /** Stops the node's daemons and removes a server's data and socket directory; keeps the logs. Idempotent. */
  async teardown(ctx: TargetContext, node: string): Promise<void> {
    await stopNode(ctx, node);
    if (daemonsOf(ctx, node).includes(SERVER))
      await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node), socketDir(ctx, node)]);
  }

  /** SIGKILLs the node's daemons and waits until they are gone. Does nothing for one that is not running. */
  async kill(ctx: TargetContext, node: string): Promise<void> {
    for (const name of daemonsOf(ctx, node)) {
      if (!(await ctx.runtime.daemonRunning(node, name))) continue;
      if (name === SERVER) await signalServerTree(ctx, node, 'KILL');
      else await ctx.runtime.signalDaemon(node, name, 'SIGKILL');
      await waitFor(
        `${node}: ${name} to exit after SIGKILL`,
        10_000,
        async () => !(await ctx.runtime.daemonRunning(node, name)),
      );
    }
  }

  /** SIGSTOPs the node's daemons and waits until the kernel reports them stopped. Throws when one is not running. */
  async pause(ctx: TargetContext, node: string): Promise<void> {
    for (const name of daemonsOf(ctx, node)) {
      if (name === SERVER) await signalServerTree(ctx, node, 'STOP');
      else await ctx.runtime.signalDaemon(node, name, 'SIGSTOP');
      await waitFor(
        `${node}: ${name} to stop after SIGSTOP`,
        5_000,
        async () => (await processState(ctx, node, name)) === 'T',
      );
    }
  }

  /** SIGCONTs the node's daemons. Does nothing for one that is not running. */
  async resume(ctx: TargetContext, node: string): Promise<void> {
    for (const name of daemonsOf(ctx, node)) {
      if (!(await ctx.runtime.daemonRunning(node, name))) continue;
      if (name === SERVER) await signalServerTree(ctx, node, 'CONT');
      else await ctx.runtime.signalDaemon(node, name, 'SIGCONT');
      await waitFor(
        `${node}: ${name} to run after SIGCONT`,
        5_000,
        async () => (await processState(ctx, node, name)) !== 'T',
      );
    }
  }

  /**
   * Waits until the primary answers through every node (directly, or
   * through the node's forwarder), creates the workloads' tables, and then
   * until every replica is streaming (pg_stat_replication on the primary)
   * and has replayed the primary's WAL up to now (pg_is_in_recovery,
   * pg_last_wal_replay_lsn on the replica), tables included. Throws after
   * timeoutMs with the last reason it was not ready.
   */
  async awaitReady(ctx: TargetContext, timeoutMs: number): Promise<void> {
    await waitUntilReady('postgres', timeoutMs, async () => {
      await Promise.all(ctx.nodes.map((n) => probe(n, ctx.options.port, ['SELECT 1'])));
      await probe(primaryOf(ctx), ctx.options.port, [...TXN_TABLES, BANK_TABLE]);
      const behind = await replicasBehind(ctx);
      return behind === '' ? true : behind;
    });
  }

  /** The primary, when its server is running; [] otherwise. */
  async primaries(ctx: TargetContext): Promise<string[]> {
    const primary = primaryOf(ctx).name;
    return (await ctx.runtime.daemonRunning(primary, SERVER)) ? [primary] : [];
  }

  logFiles(ctx: TargetContext, node: string): string[] {
    return daemonsOf(ctx, node).map((d) => (d === SERVER ? serverLog(ctx, node) : forwarderLog(ctx, node)));
  }
}

export const postgresTarget = new PostgresTarget();
