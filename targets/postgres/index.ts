/**
 * The PostgreSQL target: one primary (the first node) and, on every other
 * node, a forwarder to it (forwarder.ts), so that each client talks to the
 * node it was opened on and a partition between that node and the primary
 * cuts it off. The server runs as the `postgres` user (server.ts); its
 * isolation level is the --isolation option, from which the consistency
 * models checked follow (isolation.ts).
 *
 * Per node, under runtime.nodeDir(node): on the primary `pg.data/` and
 * `pg.sock/` (wiped by setup and teardown) and `postgres.log`; elsewhere
 * `forwarder.log`. Logs are kept.
 *
 * Faults: kill SIGKILLs the postmaster and every backend (server.ts
 * signalServerTree), or the forwarder's process group; start brings it back
 * (the postmaster runs crash recovery). Pause SIGSTOPs them the same way. The clock
 * fault's libfaketime takes effect (PostgreSQL reads the time through libc).
 */
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import { ensurePackages } from '../install.js';
import { waitFor, waitUntilReady } from '../ready.js';
import type {
  TargetContext as AnyTargetContext,
  ClockSensitivity,
  HasPrimaries,
  Killable,
  Pausable,
  Target,
  TransactionalModels,
} from '../target.js';
import { BANK_TABLE, PgBankClient } from './clients/bank.js';
import { PgTxnClient, TXN_TABLES } from './clients/txn.js';
import { FORWARDER, FORWARDER_PROBE, forwarderLog, startForwarder } from './forwarder.js';
import { promisedModels } from './isolation.js';
import { type PostgresOptions, postgresOptionsSchema } from './options.js';
import { probe } from './probe.js';
import {
  dataDir,
  initdb,
  SERVER,
  SERVER_PROBE,
  serverLog,
  signalServerTree,
  socketDir,
  startServer,
} from './server.js';

type TargetContext = AnyTargetContext<PostgresOptions>;

/** How long a fast shutdown (SIGINT) may take before the daemon helpers SIGKILL it. */
const SHUTDOWN_MS = 10_000;

const primaryOf = (ctx: TargetContext): NodeInfo => ctx.nodes[0]!;
const isPrimary = (ctx: TargetContext, node: string) => primaryOf(ctx).name === node;
/** The daemon a node runs: the server on the primary, the forwarder elsewhere. */
const daemonOf = (ctx: TargetContext, node: string) => (isPrimary(ctx, node) ? SERVER : FORWARDER);

/** The process state letter of the node's daemon (R, S, T for stopped, ...), or undefined when it is not running. */
async function processState(ctx: TargetContext, node: string): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, daemonOf(ctx, node));
  if (pid === undefined) return undefined;
  const result = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

async function startNode(ctx: TargetContext, node: string): Promise<void> {
  const info = ctx.runtime.node(node);
  if (isPrimary(ctx, node)) await startServer(ctx, info);
  else await startForwarder(ctx, info, primaryOf(ctx));
}

/** Stops the node's daemon: the server with a fast shutdown (SIGINT) first, then SIGTERM/SIGKILL. Idempotent. */
async function stopNode(ctx: TargetContext, node: string): Promise<void> {
  const name = daemonOf(ctx, node);
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

class PostgresTarget
  implements
    Target<PostgresOptions>,
    Killable<PostgresOptions>,
    Pausable<PostgresOptions>,
    HasPrimaries<PostgresOptions>,
    ClockSensitivity,
    TransactionalModels<PostgresOptions>
{
  readonly name = 'postgres';
  readonly description =
    'PostgreSQL (Debian postgresql): a primary on the first node, forwarders on the others; transactions at --isolation';
  readonly options = postgresOptionsSchema;
  readonly packages = ['postgresql', 'socat'];
  readonly clients = {
    'list-append': (ctx: TargetContext) => new PgTxnClient('list-append', ctx.options),
    'rw-register': (ctx: TargetContext) => new PgTxnClient('rw-register', ctx.options),
    bank: (ctx: TargetContext) => new PgBankClient(ctx.options, ctx.workloadOptions ?? { concurrency: 1 }),
  };
  /** PostgreSQL is a C program: it reads the clock through libc, which libfaketime replaces. */
  readonly ignoresFaketime = undefined;

  consistencyModels(options: PostgresOptions): string[] {
    return promisedModels(options.isolation);
  }

  /** Makes sure PostgreSQL (on the primary) or socat (elsewhere) is on the node; installs them with apt-get if not. */
  async install(ctx: TargetContext, node: string): Promise<void> {
    await ensurePackages(ctx, node, this.packages, `${SERVER_PROBE} && ${FORWARDER_PROBE}`);
  }

  /** The primary: a fresh initdb, then the server; elsewhere: the forwarder (its log emptied). */
  async setup(ctx: TargetContext, node: string): Promise<void> {
    await stopNode(ctx, node);
    if (isPrimary(ctx, node)) await initdb(ctx, node);
    else
      await ctx.runtime.exec(node, [
        'sh',
        '-c',
        'mkdir -p "$(dirname "$1")" && : > "$1"',
        'sh',
        forwarderLog(ctx, node),
      ]);
    await startNode(ctx, node);
  }

  /** Starts the node's daemon again (the server on its existing data); does nothing when it is running. */
  async start(ctx: TargetContext, node: string): Promise<void> {
    if (await ctx.runtime.daemonRunning(node, daemonOf(ctx, node))) return;
    await startNode(ctx, node);
  }

  /** Stops the node's daemon and removes the server's data and socket directory; keeps the logs. Idempotent. */
  async teardown(ctx: TargetContext, node: string): Promise<void> {
    await stopNode(ctx, node);
    if (isPrimary(ctx, node)) await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node), socketDir(ctx, node)]);
  }

  /** SIGKILLs the node's process group and waits until it is gone. Does nothing when it is not running. */
  async kill(ctx: TargetContext, node: string): Promise<void> {
    const name = daemonOf(ctx, node);
    if (!(await ctx.runtime.daemonRunning(node, name))) return;
    if (name === SERVER) await signalServerTree(ctx, node, 'KILL');
    else await ctx.runtime.signalDaemon(node, name, 'SIGKILL');
    await waitFor(
      `${node}: ${name} to exit after SIGKILL`,
      10_000,
      async () => !(await ctx.runtime.daemonRunning(node, name)),
    );
  }

  /** SIGSTOPs the node's process group and waits until the kernel reports it stopped. Throws when it is not running. */
  async pause(ctx: TargetContext, node: string): Promise<void> {
    const name = daemonOf(ctx, node);
    if (name === SERVER) await signalServerTree(ctx, node, 'STOP');
    else await ctx.runtime.signalDaemon(node, name, 'SIGSTOP');
    await waitFor(`${node}: to stop after SIGSTOP`, 5_000, async () => (await processState(ctx, node)) === 'T');
  }

  /** SIGCONTs the node's process group. Does nothing when it is not running. */
  async resume(ctx: TargetContext, node: string): Promise<void> {
    const name = daemonOf(ctx, node);
    if (!(await ctx.runtime.daemonRunning(node, name))) return;
    if (name === SERVER) await signalServerTree(ctx, node, 'CONT');
    else await ctx.runtime.signalDaemon(node, name, 'SIGCONT');
    await waitFor(`${node}: to run after SIGCONT`, 5_000, async () => (await processState(ctx, node)) !== 'T');
  }

  /**
   * Waits until the primary answers through every node (directly, or
   * through the node's forwarder), then creates the workloads' tables.
   * Throws after timeoutMs with the last reason it was not ready.
   */
  async awaitReady(ctx: TargetContext, timeoutMs: number): Promise<void> {
    await waitUntilReady('postgres', timeoutMs, async () => {
      await Promise.all(ctx.nodes.map((n) => probe(n, ctx.options.port, ['SELECT 1'])));
      await probe(primaryOf(ctx), ctx.options.port, [...TXN_TABLES, BANK_TABLE]);
      return true;
    });
  }

  /** The primary, when its server is running; [] otherwise. */
  async primaries(ctx: TargetContext): Promise<string[]> {
    const primary = primaryOf(ctx).name;
    return (await ctx.runtime.daemonRunning(primary, SERVER)) ? [primary] : [];
  }

  logFiles(ctx: TargetContext, node: string): string[] {
    return [isPrimary(ctx, node) ? serverLog(ctx, node) : forwarderLog(ctx, node)];
  }
}

export const postgresTarget = new PostgresTarget();
