/**
 * The MariaDB Galera target: a multi-primary Galera cluster, one mariadbd per
 * node, every node accepting writes. Started and signalled through the
 * runtime's daemon helpers and administered over each node's unix socket
 * (admin.ts), so the same code serves netns, docker and ssh nodes.
 *
 * Lifecycle:
 * - setup: fresh datadir (mariadb-install-db) and my.cnf (config.ts); the
 *   first node bootstraps a new cluster (--wsrep-new-cluster) and creates
 *   the schema (schema.ts); each other node waits for it, then joins (full
 *   state transfer by rsync).
 * - start (after a kill): joins the running cluster. When no node runs any
 *   more, the whole cluster is bootstrapped again from the node that got
 *   furthest (safe_to_bootstrap, else the highest seqno, recovered from
 *   InnoDB after a crash). When nodes run but none is in a primary component
 *   and a majority is down (it crashed: the survivors cannot regain quorum by themselves),
 *   the running node that got furthest is made primary (pc.bootstrap) first.
 * - awaitReady: every node reports wsrep_cluster_size = N, Synced, ready.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ensurePackages } from '../install.js';
import { waitUntilReady } from '../ready.js';
import type { ClientFactory, Killable, Pausable, Target, TargetContext } from '../target.js';
import {
  adminSql,
  DAEMON,
  filesOf,
  markSafeToBootstrap,
  savedPosition,
  type WsrepStatus,
  wsrepStatus,
} from './admin.js';
import { GaleraBankClient } from './clients/bank.js';
import { GaleraListAppendClient } from './clients/list-append.js';
import { GaleraRwRegisterClient } from './clients/rw-register.js';
import { myCnf } from './config.js';
import { consistencyModelsFor, type GaleraOptions, galeraOptionsSchema } from './options.js';
import { SCHEMA_SQL, TABLE_COUNT } from './schema.js';

type Ctx = TargetContext<GaleraOptions>;

/** SIGTERM grace before SIGKILL when stopping for good (InnoDB's shutdown takes a few seconds). */
const STOP_GRACE_MS = 15_000;
/** How long a node may take to bootstrap or join (a join includes a full rsync state transfer). */
const JOIN_TIMEOUT_MS = 90_000;

/** Polls `check` every `intervalMs` until it returns true; throws after `timeoutMs` naming `what` and the last reason. */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<true | string>, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let reason = 'not checked yet';
  for (;;) {
    const answer = await check();
    if (answer === true) return;
    reason = answer;
    if (Date.now() >= deadline) throw new Error(`${what}: not after ${timeoutMs} ms (${reason})`);
    await sleep(intervalMs);
  }
}

const describeStatus = (s: WsrepStatus | undefined) =>
  s ? `${s.clusterStatus}, ${s.localState}, size ${s.clusterSize}` : 'server does not answer';

async function writeConfig(ctx: Ctx, node: string): Promise<void> {
  const files = filesOf(ctx, node);
  const cnf = myCnf({
    node: ctx.runtime.node(node),
    members: ctx.nodes,
    files,
    options: ctx.options,
    clusterName: `faultline-${ctx.runtime.cluster}`,
  });
  await ctx.runtime.exec(node, ['sh', '-c', 'cat > "$1"', 'sh', files.cnf], { stdin: cnf });
}

async function startServer(ctx: Ctx, node: string, bootstrap: boolean): Promise<void> {
  const files = filesOf(ctx, node);
  const argv = ['mariadbd', `--defaults-file=${files.cnf}`, ...(bootstrap ? ['--wsrep-new-cluster'] : [])];
  ctx.log.info(`${node}: starting mariadbd${bootstrap ? ' (bootstrapping a new cluster)' : ''}`);
  await ctx.runtime.startDaemon(node, { name: DAEMON, argv, env: ctx.nodeEnv(node), logFile: files.log });
}

/** Waits until the node is in the primary component and Synced. Throws with its log's tail when mariadbd exits. */
async function awaitSynced(ctx: Ctx, node: string, timeoutMs: number): Promise<void> {
  await waitFor(`${node}: Galera to be Primary and Synced`, timeoutMs, async () => {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) {
      const tail = await ctx.runtime.exec(
        node,
        ['sh', '-c', 'grep -E "ERROR|rror|SST|sst" "$1" | tail -n 25', 'sh', filesOf(ctx, node).log],
        { check: false },
      );
      throw new Error(
        `${node}: mariadbd exited while starting; its last errors and state-transfer lines (galera.log):\n${tail.stdout}`,
      );
    }
    const s = await wsrepStatus(ctx, node);
    return s?.clusterStatus === 'Primary' && s.localState === 'Synced' ? true : describeStatus(s);
  });
}

/** The node's wsrep status, asking up to 3 times (a loaded node may miss one 5 s admin timeout). */
async function statusWithRetries(ctx: Ctx, node: string): Promise<WsrepStatus | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const status = await wsrepStatus(ctx, node);
    if (status) return status;
    await sleep(500);
  }
  return undefined;
}

/** The processes' state letter (T: stopped by SIGSTOP), or undefined when not running. */
async function processState(ctx: Ctx, node: string): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, DAEMON);
  if (pid === undefined) return undefined;
  const r = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], { check: false });
  return r.exitCode === 0 ? r.stdout.trim() || undefined : undefined;
}

const listAppend: ClientFactory<GaleraOptions> = (ctx) => new GaleraListAppendClient(ctx.options);
const rwRegister: ClientFactory<GaleraOptions> = (ctx) => new GaleraRwRegisterClient(ctx.options);
const bank: ClientFactory<GaleraOptions> = (ctx) => new GaleraBankClient(ctx.options);

class GaleraTarget implements Target<GaleraOptions>, Killable<GaleraOptions>, Pausable<GaleraOptions> {
  readonly name = 'galera';
  readonly description =
    'MariaDB Galera Cluster (Debian mariadb-server, galera-4): multi-primary, every node takes transactions';
  readonly options = galeraOptionsSchema;
  readonly packages = ['mariadb-server', 'mariadb-client', 'galera-4', 'rsync'];
  readonly clients = { 'list-append': listAppend, 'rw-register': rwRegister, bank };
  readonly ignoresFaketime = undefined;
  /** Starts are serialised: a whole-cluster bootstrap must happen once, not once per node started in parallel. */
  private starting: Promise<void> = Promise.resolve();

  /**
   * The consistency models a run at these options is held to by default
   * (the isolation level's own model). Not yet read by the run: until it is,
   * set test.workloadOptions.consistencyModels in the config.
   */
  consistencyModels(options: GaleraOptions): string[] {
    return consistencyModelsFor(options);
  }

  /** Makes sure mariadbd, mariadb, the Galera provider and rsync are on the node (apt-get when missing). */
  async install(ctx: Ctx, node: string): Promise<void> {
    await ensurePackages(
      ctx,
      node,
      this.packages,
      'command -v mariadbd && command -v mariadb-install-db && command -v rsync && test -e /usr/lib/galera/libgalera_smm.so',
    );
  }

  /** Fresh datadir and config; the first node bootstraps and creates the schema, the others join it. */
  async setup(ctx: Ctx, node: string): Promise<void> {
    const files = filesOf(ctx, node);
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    await ctx.runtime.exec(node, [
      'sh',
      '-c',
      'rm -rf "$2" "$3" && mkdir -p "$1" "$3" && chown mysql: "$3" && : > "$4"',
      'sh',
      files.dir,
      files.dataDir,
      files.tmpDir,
      files.log,
    ]);
    await writeConfig(ctx, node);
    const installed = await ctx.runtime.exec(
      node,
      [
        'mariadb-install-db',
        '--no-defaults',
        '--user=mysql',
        `--datadir=${files.dataDir}`,
        `--tmpdir=${files.tmpDir}`,
        '--auth-root-authentication-method=socket',
        '--skip-test-db',
      ],
      { check: false, timeoutMs: 120_000 },
    );
    if (installed.exitCode !== 0) {
      throw new Error(
        `${node}: mariadb-install-db exited ${installed.exitCode}: ${installed.stderr.trim().slice(-400)}`,
      );
    }
    const first = ctx.nodes[0]!.name;
    if (node === first) {
      await startServer(ctx, node, true);
      await awaitSynced(ctx, node, JOIN_TIMEOUT_MS);
      await adminSql(ctx, node, SCHEMA_SQL);
      return;
    }
    // Join one at a time, in node order: a donor serves one full state transfer at a time.
    const position = ctx.nodes.findIndex((n) => n.name === node);
    await waitFor(`${node}: ${first} to have the schema and ${position} members`, JOIN_TIMEOUT_MS, async () => {
      const s = await wsrepStatus(ctx, first);
      if (s?.localState !== 'Synced' || s.clusterSize < position) return describeStatus(s);
      const tables = await adminSql(
        ctx,
        first,
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'faultline'",
      ).catch(() => '0');
      return Number(tables.trim()) >= TABLE_COUNT ? true : 'schema not there yet';
    });
    await startServer(ctx, node, false);
    await awaitSynced(ctx, node, JOIN_TIMEOUT_MS);
  }

  /** Starts the node again on its data (see the module comment for a dead cluster). Does nothing when it runs. */
  start(ctx: Ctx, node: string): Promise<void> {
    const run = this.starting.then(() => this.startNow(ctx, node));
    this.starting = run.catch(() => {});
    return run;
  }

  private async startNow(ctx: Ctx, node: string): Promise<void> {
    if (await ctx.runtime.daemonRunning(node, DAEMON)) return;
    await writeConfig(ctx, node);
    const others = ctx.nodes.map((n) => n.name).filter((n) => n !== node);
    const running: string[] = [];
    for (const other of others) if (await ctx.runtime.daemonRunning(other, DAEMON)) running.push(other);
    if (running.length === 0) {
      await this.bootstrapDeadCluster(ctx, node);
      return;
    }
    const statuses = await Promise.all(running.map((n) => statusWithRetries(ctx, n)));
    // Only when a majority is down: running nodes that are not primary while a majority runs are
    // cut off by a partition, and the cluster forms a primary component again when it heals.
    const majorityDown = running.length * 2 <= ctx.nodes.length;
    if (majorityDown && !statuses.some((s) => s?.clusterStatus === 'Primary')) {
      // A majority crashed: the survivors wait for a quorum that cannot come back. Make the one
      // that got furthest primary (what an operator does, pc.bootstrap), so the restarted node can join.
      const answering = running.flatMap((n, i) => (statuses[i] ? [{ n, s: statuses[i] }] : []));
      const best = answering.sort((a, b) => b.s.lastCommitted - a.s.lastCommitted)[0];
      if (best) {
        ctx.log.warn(`${node}: no running node is primary; making ${best.n} primary (pc.bootstrap)`);
        await adminSql(ctx, best.n, "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'");
      } else {
        ctx.log.warn(
          `${node}: a majority is down and ${running.join(', ')} do not answer: starting it without a primary`,
        );
      }
    }
    await startServer(ctx, node, false);
  }

  /** No node runs: bootstrap from the node that got furthest, then start `node` (if it is another one). */
  private async bootstrapDeadCluster(ctx: Ctx, node: string): Promise<void> {
    const positions = [];
    for (const n of ctx.nodes) positions.push({ node: n.name, ...(await savedPosition(ctx, n.name)) });
    const best = positions.find((p) => p.safe) ?? [...positions].sort((a, b) => b.seqno - a.seqno)[0]!;
    ctx.log.info(
      `whole cluster down: bootstrapping from ${best.node} (positions: ${positions
        .map((p) => `${p.node} ${p.seqno}${p.safe ? ' safe' : ''}`)
        .join(', ')})`,
    );
    await markSafeToBootstrap(ctx, best.node);
    await startServer(ctx, best.node, true);
    await awaitSynced(ctx, best.node, JOIN_TIMEOUT_MS);
    if (best.node !== node) await startServer(ctx, node, false);
  }

  /** Stops the server (SIGTERM, then SIGKILL) and removes its datadir and socket; keeps the log. Idempotent. */
  async teardown(ctx: Ctx, node: string): Promise<void> {
    const files = filesOf(ctx, node);
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    await ctx.runtime.exec(node, ['rm', '-rf', files.dataDir, files.tmpDir]);
  }

  /** SIGKILLs the server's process group and waits until it is gone. Does nothing when it is not running. */
  async kill(ctx: Ctx, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGKILL');
    await waitFor(`${node}: mariadbd to exit after SIGKILL`, 10_000, async () =>
      (await ctx.runtime.daemonRunning(node, DAEMON)) ? 'still running' : true,
    );
  }

  /** SIGSTOPs the server and waits until the kernel reports it stopped. Throws when it is not running. */
  async pause(ctx: Ctx, node: string): Promise<void> {
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGSTOP');
    await waitFor(`${node}: mariadbd to stop after SIGSTOP`, 5_000, async () =>
      (await processState(ctx, node)) === 'T' ? true : 'not stopped yet',
    );
  }

  /** SIGCONTs the server. Does nothing when it is not running. */
  async resume(ctx: Ctx, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGCONT');
    await waitFor(`${node}: mariadbd to run after SIGCONT`, 5_000, async () =>
      (await processState(ctx, node)) !== 'T' ? true : 'still stopped',
    );
  }

  /** Waits until every node is Primary, Synced, ready and sees all N members. Throws naming the laggards. */
  async awaitReady(ctx: Ctx, timeoutMs: number): Promise<void> {
    await waitUntilReady(`Galera cluster of ${ctx.nodes.length}`, timeoutMs, async () => {
      const statuses = await Promise.all(ctx.nodes.map((n) => wsrepStatus(ctx, n.name)));
      const lagging = ctx.nodes.flatMap((n, i) => {
        const s = statuses[i];
        const ok = s?.ready && s.clusterStatus === 'Primary' && s.localState === 'Synced';
        return ok && s.clusterSize === ctx.nodes.length ? [] : [`${n.name}: ${describeStatus(s)}`];
      });
      return lagging.length === 0 ? true : lagging.join('; ');
    });
  }

  logFiles(ctx: Ctx, node: string): string[] {
    return [filesOf(ctx, node).log];
  }
}

export const galeraTarget = new GaleraTarget();
