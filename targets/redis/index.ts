/**
 * The Redis target: Redis 7 with Sentinel (Debian's redis-server and
 * redis-sentinel). The first node starts as primary, the others as its
 * replicas, and every node runs a sentinel; clients (ioredis) find the
 * primary through the sentinels and follow failovers (connections.ts).
 *
 * Per node, under runtime.nodeDir(node): `redis.conf` and `sentinel.conf`
 * (written by setup, rewritten by Sentinel as roles change), `redis.data/`
 * (wiped by setup and teardown), `redis.log` and `sentinel.log` (kept).
 * Both daemons run through the runtime's daemon helpers with the node's
 * environment (the clock fault's libfaketime, with glibc's allocator in
 * front of it: faketime-env.ts), so kill, pause and clock faults work on
 * netns, docker and ssh alike. Kill and pause act on both
 * daemons of a node, like a crashed or frozen machine.
 */
import { ensurePackages } from '../install.js';
import { waitFor, waitUntilReady } from '../ready.js';
import type {
  TargetContext as AnyTargetContext,
  ClientFactory,
  ClockSensitivity,
  HasPrimaries,
  Killable,
  Pausable,
  ReadConsistency,
  Target,
} from '../target.js';
import { ask, parseRole } from './admin.js';
import { RedisRegisterClient } from './clients/register.js';
import { RedisSetClient } from './clients/set.js';
import { MASTER_NAME, redisConf, sentinelConf } from './config.js';
import { redisSafeEnv } from './faketime-env.js';
import { type RedisOptions, redisOptionsSchema } from './options.js';

type TargetContext = AnyTargetContext<RedisOptions>;

const REDIS = 'redis';
const SENTINEL = 'sentinel';
const DAEMONS = [REDIS, SENTINEL] as const;
/** SIGTERM grace before SIGKILL when stopping for good. */
const STOP_GRACE_MS = 3_000;

export function dataDir(ctx: TargetContext, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/redis.data`;
}
function file(ctx: TargetContext, node: string, name: string): string {
  return `${ctx.runtime.nodeDir(node)}/${name}`;
}

/** The process state letter of a daemon (R, S, T for stopped, ...), or undefined when it is not running. */
async function processState(ctx: TargetContext, node: string, daemon: string): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, daemon);
  if (pid === undefined) return undefined;
  const result = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

async function startDaemons(ctx: TargetContext, node: string): Promise<void> {
  const env = redisSafeEnv(ctx.nodeEnv(node));
  if (!(await ctx.runtime.daemonRunning(node, REDIS))) {
    await ctx.runtime.startDaemon(node, {
      name: REDIS,
      argv: ['redis-server', file(ctx, node, 'redis.conf')],
      env,
      logFile: file(ctx, node, 'redis.log'),
    });
  }
  if (!(await ctx.runtime.daemonRunning(node, SENTINEL))) {
    await ctx.runtime.startDaemon(node, {
      name: SENTINEL,
      argv: ['redis-sentinel', file(ctx, node, 'sentinel.conf')],
      env,
      logFile: file(ctx, node, 'sentinel.log'),
    });
  }
}

const register: ClientFactory<RedisOptions> = (ctx, workload) =>
  new RedisRegisterClient(
    workload === 'cas-register' ? 'cas-register' : workload === 'session' ? 'session' : 'register',
    ctx.options,
    ctx.nodes,
  );

class RedisTarget
  implements
    Target<RedisOptions>,
    Killable<RedisOptions>,
    Pausable<RedisOptions>,
    HasPrimaries<RedisOptions>,
    ClockSensitivity,
    ReadConsistency<RedisOptions>
{
  readonly name = 'redis';
  readonly description =
    'Redis 7 with Sentinel (Debian redis-server, redis-sentinel): one primary, replicas on the other nodes, a sentinel on every node';
  readonly options = redisOptionsSchema;
  readonly packages = ['redis-server', 'redis-sentinel'];
  readonly clients = {
    register,
    'cas-register': register,
    // session: reads and writes of unique integers per key, exactly the register client's ops.
    session: register,
    set: (ctx: TargetContext) => new RedisSetClient(ctx.options, ctx.nodes),
  };
  /**
   * Redis reads the wall clock through libc (gettimeofday, clock_gettime): libfaketime moves it, once glibc's
   * allocator stands in front of jemalloc (faketime-env.ts); the tests see the offset in TIME.
   */
  readonly ignoresFaketime = undefined;

  /** Never: replication is asynchronous, and a primary cut off from the others keeps serving what it has. */
  linearizableReads(): boolean {
    return false;
  }

  /** Makes sure redis-server and redis-sentinel are on the node; installs them with apt-get when missing. */
  async install(ctx: TargetContext, node: string): Promise<void> {
    await ensurePackages(ctx, node, this.packages, 'command -v redis-server && command -v redis-sentinel');
  }

  /** Wipes the node's data, configuration and logs, writes fresh configuration, starts Redis and its sentinel. */
  async setup(ctx: TargetContext, node: string): Promise<void> {
    for (const d of DAEMONS) await ctx.runtime.stopDaemon(node, d, STOP_GRACE_MS);
    const input = {
      node: ctx.runtime.node(node),
      initialPrimary: ctx.nodes[0]!,
      nodes: ctx.nodes,
      dataDir: dataDir(ctx, node),
      options: ctx.options,
    };
    const dir = ctx.runtime.nodeDir(node);
    await ctx.runtime.exec(node, [
      'sh',
      '-c',
      'mkdir -p "$1" && rm -rf "$2" && mkdir -p "$2" && : > "$1/redis.log" && : > "$1/sentinel.log"',
      'sh',
      dir,
      dataDir(ctx, node),
    ]);
    await writeFile(ctx, node, file(ctx, node, 'redis.conf'), redisConf(input));
    await writeFile(ctx, node, file(ctx, node, 'sentinel.conf'), sentinelConf(input));
    await startDaemons(ctx, node);
  }

  /** Starts Redis and its sentinel again on their existing data and configuration; a running one is left alone. */
  async start(ctx: TargetContext, node: string): Promise<void> {
    await startDaemons(ctx, node);
  }

  /** Stops both daemons (SIGTERM, then SIGKILL) and removes the data; keeps the logs. Idempotent. */
  async teardown(ctx: TargetContext, node: string): Promise<void> {
    for (const d of DAEMONS) await ctx.runtime.stopDaemon(node, d, STOP_GRACE_MS);
    await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node)]);
  }

  /** SIGKILLs Redis and its sentinel and waits until both are gone. Does nothing for one not running. */
  async kill(ctx: TargetContext, node: string): Promise<void> {
    for (const d of DAEMONS) {
      if (!(await ctx.runtime.daemonRunning(node, d))) continue;
      await ctx.runtime.signalDaemon(node, d, 'SIGKILL');
      await waitFor(
        `${node}: ${d} to exit after SIGKILL`,
        10_000,
        async () => !(await ctx.runtime.daemonRunning(node, d)),
      );
    }
  }

  /** SIGSTOPs both daemons and waits until the kernel reports them stopped. Throws when one is not running. */
  async pause(ctx: TargetContext, node: string): Promise<void> {
    for (const d of DAEMONS) {
      await ctx.runtime.signalDaemon(node, d, 'SIGSTOP');
      await waitFor(
        `${node}: ${d} to stop after SIGSTOP`,
        5_000,
        async () => (await processState(ctx, node, d)) === 'T',
      );
    }
  }

  /** SIGCONTs both daemons and waits until they are no longer stopped. Does nothing for one not running. */
  async resume(ctx: TargetContext, node: string): Promise<void> {
    for (const d of DAEMONS) {
      if (!(await ctx.runtime.daemonRunning(node, d))) continue;
      await ctx.runtime.signalDaemon(node, d, 'SIGCONT');
      await waitFor(
        `${node}: ${d} to run after SIGCONT`,
        5_000,
        async () => (await processState(ctx, node, d)) !== 'T',
      );
    }
  }

  /**
   * Waits until every sentinel names the same primary, that node says it is
   * primary with every other node connected as its replica, every sentinel
   * knows all the others and all the replicas (so it can take part in a
   * failover), and a write on the primary reaches every replica (WAIT).
   * Throws after timeoutMs with the last reason it was not ready.
   */
  async awaitReady(ctx: TargetContext, timeoutMs: number): Promise<void> {
    await waitUntilReady('Redis cluster', timeoutMs, async () => (await notReadyBecause(ctx)) || true);
  }

  /**
   * The nodes whose Redis says it is a primary (ROLE master): usually one;
   * during a partition the old primary still says so beside the new one.
   * Nodes that do not answer within a second are left out; [] when none does.
   */
  async primaries(ctx: TargetContext): Promise<string[]> {
    const answers = await Promise.all(
      ctx.nodes.map(async (n) => {
        try {
          return parseRole(await ask(n.address, ctx.options.redisPort, ['ROLE'])).role === 'master'
            ? n.name
            : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    return answers.filter((name): name is string => name !== undefined);
  }

  logFiles(ctx: TargetContext, node: string): string[] {
    return [file(ctx, node, 'redis.log'), file(ctx, node, 'sentinel.log')];
  }
}

/** Why the cluster is not ready yet, or '' when it is (see awaitReady). */
async function notReadyBecause(ctx: TargetContext): Promise<string> {
  const { redisPort: port, sentinelPort } = ctx.options;
  const others = ctx.nodes.length - 1;
  const named = await Promise.all(
    ctx.nodes.map((n) => ask(n.address, sentinelPort, ['SENTINEL', 'get-master-addr-by-name', MASTER_NAME])),
  );
  const addresses = new Set(named.map((a) => (Array.isArray(a) ? String(a[0]) : 'none')));
  if (addresses.size !== 1) return `sentinels disagree on the primary: ${[...addresses].join(', ')}`;
  const primary = ctx.nodes.find((n) => addresses.has(n.address));
  if (!primary) return `the sentinels name ${[...addresses][0]}, not a node`;
  for (const n of ctx.nodes) {
    const role = parseRole(await ask(n.address, port, ['ROLE']));
    if (n.name === primary.name) {
      if (role.role !== 'master') return `${n.name} is named primary but is ${role.role}`;
      if (role.replicas.length !== others) return `${n.name} has ${role.replicas.length} of ${others} replicas`;
    } else if (role.role !== 'slave' || role.primary !== primary.address || role.state !== 'connected') {
      return `${n.name} is not a connected replica of ${primary.name} (${JSON.stringify(role)})`;
    }
    const sentinels = await ask(n.address, sentinelPort, ['SENTINEL', 'sentinels', MASTER_NAME]);
    if (!Array.isArray(sentinels) || sentinels.length !== others)
      return `the sentinel on ${n.name} knows ${Array.isArray(sentinels) ? sentinels.length : 0} of ${others} others`;
    const replicas = await ask(n.address, sentinelPort, ['SENTINEL', 'replicas', MASTER_NAME]);
    const healthy = Array.isArray(replicas) ? replicas.filter((r) => !/down|disconnected/.test(flagsOf(r))) : [];
    if (healthy.length !== others) return `the sentinel on ${n.name} sees ${healthy.length} of ${others} replicas up`;
  }
  const token = `${Date.now()}`;
  await ask(primary.address, port, ['SET', 'faultline:ready', token]);
  const replicated = Number(await ask(primary.address, port, ['WAIT', String(others), '500']));
  if (replicated < others) return `a write on ${primary.name} reached ${replicated} of ${others} replicas`;
  return '';
}

/** The flags field of a SENTINEL replicas entry (a flat [name, value, ...] list). */
function flagsOf(entry: unknown): string {
  if (!Array.isArray(entry)) return '';
  const i = entry.indexOf('flags');
  return i >= 0 ? String(entry[i + 1]) : '';
}

/** Writes `text` to `path` on the node. */
async function writeFile(ctx: TargetContext, node: string, path: string, text: string): Promise<void> {
  await ctx.runtime.exec(node, ['sh', '-c', 'cat > "$1"', 'sh', path], { stdin: text });
}

export const redisTarget = new RedisTarget();
