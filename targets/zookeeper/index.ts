/**
 * The ZooKeeper target: Debian's zookeeper 3.8 as an ensemble of 3 to 5
 * voting servers, one per node (myid = the node's position, zoo.cfg naming
 * every peer), clients through node-zookeeper-client, one session per
 * client on its own node's server (clients/register.ts).
 *
 * Per node, under runtime.nodeDir(node): `zoo.cfg`, `zookeeper.data/` (myid
 * and the transaction log and snapshots; wiped by setup and teardown) and
 * `zookeeper.log` (the JVM's output, kept). The server runs through the
 * runtime's daemon helpers with the node's environment (the clock fault's
 * libfaketime, cached for a second: faketime-env.ts), so kill, pause and clock faults work on netns, docker and ssh.
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
import { REGISTER_ROOT, ZookeeperRegisterClient } from './clients/register.js';
import { serverId, zooCfg, zookeeperArgv } from './config.js';
import { zookeeperClockEnv } from './faketime-env.js';
import { fourLetter, modeOf } from './four-letter.js';
import { type ZookeeperOptions, zookeeperOptionsSchema } from './options.js';
import { ZkSession } from './session.js';

type TargetContext = AnyTargetContext<ZookeeperOptions>;

const DAEMON = 'zookeeper';
/** SIGTERM grace before SIGKILL when stopping for good. */
const STOP_GRACE_MS = 3_000;
/** How long one readiness probe may take. */
const PROBE_TIMEOUT_MS = 2_000;

export function dataDir(ctx: TargetContext, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/zookeeper.data`;
}
function file(ctx: TargetContext, node: string, name: string): string {
  return `${ctx.runtime.nodeDir(node)}/${name}`;
}

/** The process state letter of the server (R, S, T for stopped, ...), or undefined when it is not running. */
async function processState(ctx: TargetContext, node: string): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, DAEMON);
  if (pid === undefined) return undefined;
  const result = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

async function startServer(ctx: TargetContext, node: string): Promise<void> {
  await ctx.runtime.startDaemon(node, {
    name: DAEMON,
    argv: zookeeperArgv(file(ctx, node, 'zoo.cfg'), ctx.runtime.nodeDir(node), ctx.options),
    env: zookeeperClockEnv(ctx.nodeEnv(node)),
    logFile: file(ctx, node, 'zookeeper.log'),
  });
}

/** The mode each server reports (leader, follower, ...), or why it did not answer. */
async function modes(ctx: TargetContext): Promise<Map<string, string>> {
  const answers = await Promise.all(
    ctx.nodes.map(async (n) => {
      try {
        return [n.name, modeOf(await fourLetter(n.address, ctx.options.zkClientPort, 'srvr')) ?? 'not serving'];
      } catch (err) {
        return [n.name, err instanceof Error ? err.message : String(err)];
      }
    }),
  );
  return new Map(answers as [string, string][]);
}

const register: ClientFactory<ZookeeperOptions> = (ctx, workload) =>
  new ZookeeperRegisterClient(
    workload === 'cas-register' ? 'cas-register' : workload === 'session' ? 'session' : 'register',
    ctx.options,
  );

class ZookeeperTarget
  implements
    Target<ZookeeperOptions>,
    Killable<ZookeeperOptions>,
    Pausable<ZookeeperOptions>,
    HasPrimaries<ZookeeperOptions>,
    ClockSensitivity,
    ReadConsistency<ZookeeperOptions>
{
  readonly name = 'zookeeper';
  readonly description =
    'ZooKeeper 3.8 (Debian zookeeper): an ensemble of voting servers, one per node, clients over node-zookeeper-client';
  readonly options = zookeeperOptionsSchema;
  readonly packages = ['zookeeper'];
  // The ensemble elects a leader after every JVM has started; under libfaketime and load that took 145 s here.
  readonly readyTimeoutMs = 240_000;
  readonly clients = {
    register,
    'cas-register': register,
    // session: reads and writes of unique integers per key, exactly the register client's ops.
    session: register,
  };
  /**
   * The JVM reads the wall clock (System.currentTimeMillis) through libc's
   * clock_gettime, which libfaketime replaces: the offset takes effect, within
   * a second (faketime-env.ts; the tests see it in the mtime a skewed leader
   * gives a znode). Its timeouts run on System.nanoTime, the monotonic clock,
   * which the clock fault leaves alone.
   */
  readonly ignoresFaketime = undefined;

  /** Writes are linearizable; reads are only when each is preceded by sync (and even then ZooKeeper does not promise it). */
  linearizableReads(options: ZookeeperOptions): boolean {
    return options.sync;
  }

  /** Makes sure ZooKeeper's jar and a Java runtime are on the node; installs Debian's zookeeper when missing. */
  async install(ctx: TargetContext, node: string): Promise<void> {
    await ensurePackages(ctx, node, this.packages, 'test -r /usr/share/java/zookeeper.jar && command -v java');
  }

  /** Wipes the server's data and log, writes zoo.cfg and myid, and starts it as a member of a new ensemble. */
  async setup(ctx: TargetContext, node: string): Promise<void> {
    if (ctx.nodes.length < 3) throw new Error(`a ZooKeeper ensemble needs at least 3 nodes, got ${ctx.nodes.length}`);
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    const info = ctx.runtime.node(node);
    const data = dataDir(ctx, node);
    await ctx.runtime.exec(node, [
      'sh',
      '-c',
      'rm -rf "$1" && mkdir -p "$1" && echo "$2" > "$1/myid" && : > "$3"',
      'sh',
      data,
      String(serverId(info, ctx.nodes)),
      file(ctx, node, 'zookeeper.log'),
    ]);
    await ctx.runtime.exec(node, ['sh', '-c', 'cat > "$1"', 'sh', file(ctx, node, 'zoo.cfg')], {
      stdin: zooCfg(info, ctx.nodes, data, ctx.options),
    });
    await startServer(ctx, node);
  }

  /** Starts the server again on its existing data; does nothing when it is running. */
  async start(ctx: TargetContext, node: string): Promise<void> {
    if (await ctx.runtime.daemonRunning(node, DAEMON)) return;
    await startServer(ctx, node);
  }

  /** Stops the server (SIGTERM, then SIGKILL) and removes its data; keeps the log. Idempotent. */
  async teardown(ctx: TargetContext, node: string): Promise<void> {
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node)]);
  }

  /** SIGKILLs the server and waits until it is gone. Does nothing when it is not running. */
  async kill(ctx: TargetContext, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGKILL');
    await waitFor(
      `${node}: zookeeper to exit after SIGKILL`,
      10_000,
      async () => !(await ctx.runtime.daemonRunning(node, DAEMON)),
    );
  }

  /** SIGSTOPs the server and waits until the kernel reports it stopped. Throws when it is not running. */
  async pause(ctx: TargetContext, node: string): Promise<void> {
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGSTOP');
    await waitFor(
      `${node}: zookeeper to stop after SIGSTOP`,
      5_000,
      async () => (await processState(ctx, node)) === 'T',
    );
  }

  /** SIGCONTs the server and waits until it is no longer stopped. Does nothing when it is not running. */
  async resume(ctx: TargetContext, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGCONT');
    await waitFor(
      `${node}: zookeeper to run after SIGCONT`,
      5_000,
      async () => (await processState(ctx, node)) !== 'T',
    );
  }

  /**
   * Waits until every server serves (srvr names its mode), exactly one is
   * leader and the rest follow it, and on every server a session can create
   * the registers' parent znodes (or find them) and read them back. Throws
   * after timeoutMs with the last reason it was not ready.
   */
  async awaitReady(ctx: TargetContext, timeoutMs: number): Promise<void> {
    await waitUntilReady(
      'ZooKeeper ensemble',
      timeoutMs,
      async () => {
        const byNode = await modes(ctx);
        const leaders = [...byNode].filter(([, m]) => m === 'leader').map(([n]) => n);
        const odd = [...byNode].filter(([, m]) => m !== 'leader' && m !== 'follower');
        if (leaders.length !== 1 || odd.length > 0)
          return `servers: ${[...byNode].map(([n, m]) => `${n} ${m}`).join(', ')}`;
        for (const n of ctx.nodes) await probe(ctx, n.address);
        return true;
      },
      250,
    );
  }

  /**
   * The nodes whose server says it leads (srvr "Mode: leader"): one, or none
   * during an election. A server cut off from the others stops serving (and
   * leading) within syncLimit ticks. Servers that do not answer are left out.
   */
  async primaries(ctx: TargetContext): Promise<string[]> {
    const byNode = await modes(ctx);
    return [...byNode].filter(([, m]) => m === 'leader').map(([n]) => n);
  }

  logFiles(ctx: TargetContext, node: string): string[] {
    return [file(ctx, node, 'zookeeper.log')];
  }
}

/** On the server at `address`, makes sure /faultline and REGISTER_ROOT exist (creating them if not). */
async function probe(ctx: TargetContext, address: string): Promise<void> {
  const session = new ZkSession(address, ctx.options.zkClientPort, ctx.options.sessionTimeoutMs);
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    await waitFor(`a session on ${address}`, PROBE_TIMEOUT_MS, async () => {
      try {
        await session.whenConnected(signal);
        return true;
      } catch {
        return false;
      }
    });
    for (const path of ['/faultline', REGISTER_ROOT]) {
      if ((await session.getData(path, signal)) !== undefined) continue;
      await session.create(path, Buffer.alloc(0), signal).catch((err: unknown) => {
        if ((err as { code?: number }).code !== -110) throw err; // NODE_EXISTS: another probe made it
      });
    }
  } finally {
    session.close();
  }
}

export const zookeeperTarget = new ZookeeperTarget();
