/**
 * The etcd target: a static etcd cluster, one member per node, started and
 * signalled through the runtime's daemon helpers, so the same code serves
 * netns, docker and ssh nodes.
 *
 * Per node, under runtime.nodeDir(node): `etcd.data/` (the member's data,
 * wiped by setup and teardown) and `etcd.log` (stdout and stderr, kept).
 * Members are named after the nodes; peers talk on port 2380, clients on
 * 2379 of the node's address (both configurable: target options peerPort,
 * clientPort). Clients use the v3 JSON gateway (gateway.ts).
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
  Reconfigurable,
  Target,
} from '../target.js';
import { EtcdRegisterClient } from './clients/register.js';
import { EtcdSetClient } from './clients/set.js';
import { etcdArgv, httpUrl } from './command.js';
import { EtcdGateway } from './gateway.js';
import { addMember, isRemoved, members, removedMarker, removeMember } from './membership.js';
import { type EtcdOptions, etcdOptionsSchema } from './options.js';

type TargetContext = AnyTargetContext<EtcdOptions>;

const DAEMON = 'etcd';
/** How long one health probe of one member may take. */
const PROBE_TIMEOUT_MS = 1_000;
/** SIGTERM grace before SIGKILL when stopping for good. */
const STOP_GRACE_MS = 3_000;

export function dataDir(ctx: TargetContext, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/etcd.data`;
}

export function logFile(ctx: TargetContext, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/etcd.log`;
}

/** Runs `use` with a gateway to the node's member, closing its connection afterwards. */
async function withGateway<T>(ctx: TargetContext, node: string, use: (gateway: EtcdGateway) => Promise<T>): Promise<T> {
  const { address } = ctx.runtime.node(node);
  const gateway = new EtcdGateway(httpUrl(address, ctx.options.clientPort));
  try {
    return await use(gateway);
  } finally {
    gateway.close();
  }
}

async function startMember(ctx: TargetContext, node: string): Promise<void> {
  const { options } = ctx;
  const argv = etcdArgv({
    node: ctx.runtime.node(node),
    members: ctx.nodes,
    dataDir: dataDir(ctx, node),
    clientPort: options.clientPort,
    peerPort: options.peerPort,
  });
  await ctx.runtime.startDaemon(node, { name: DAEMON, argv, env: ctx.nodeEnv(node), logFile: logFile(ctx, node) });
}

/** The process state letter of the daemon (R, S, T for stopped, ...), or undefined when it is not running. */
async function processState(ctx: TargetContext, node: string): Promise<string | undefined> {
  const pid = await ctx.runtime.daemonPid(node, DAEMON);
  if (pid === undefined) return undefined;
  const result = await ctx.runtime.exec(node, ['sh', '-c', `sed 's/.*) //' /proc/${pid}/stat | cut -c1`], {
    check: false,
  });
  return result.exitCode === 0 ? result.stdout.trim() || undefined : undefined;
}

const register: ClientFactory<EtcdOptions> = (ctx, workload) =>
  new EtcdRegisterClient(workload === 'cas-register' ? 'cas-register' : 'register', ctx.options, ctx.nodes);

class EtcdTarget
  implements
    Target<EtcdOptions>,
    Killable<EtcdOptions>,
    Pausable<EtcdOptions>,
    HasPrimaries<EtcdOptions>,
    ClockSensitivity,
    ReadConsistency<EtcdOptions>,
    Reconfigurable<EtcdOptions>
{
  readonly name = 'etcd';
  readonly description =
    'etcd (Debian etcd-server): a static cluster, one member per node, clients over its v3 JSON gateway';
  readonly options = etcdOptionsSchema;
  readonly packages = ['etcd-server', 'etcd-client'];
  readonly clients = {
    register,
    'cas-register': register,
    // session: reads and writes of unique integers per key, exactly the register client's ops.
    session: register,
    set: (ctx: TargetContext) => new EtcdSetClient(ctx.options),
  };
  readonly ignoresFaketime =
    'etcd is a Go program: it reads the clock through the vDSO, not through libc, so libfaketime does not change its clock';

  /** Linearizable unless --read-mode serializable (served by any member, without quorum: may be stale). */
  linearizableReads(options: EtcdOptions): boolean {
    return options.readMode === 'linearizable';
  }

  /** Makes sure `etcd` is on the node; installs Debian's etcd-server with apt-get when it is missing. */
  async install(ctx: TargetContext, node: string): Promise<void> {
    await ensurePackages(ctx, node, this.packages, 'command -v etcd');
  }

  /** Wipes the member's data and log, then starts it as a member of a new cluster. */
  async setup(ctx: TargetContext, node: string): Promise<void> {
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    await ctx.runtime.exec(node, [
      'sh',
      '-c',
      'mkdir -p "$(dirname "$2")" && rm -rf "$1" "$3" && : > "$2"',
      'sh',
      dataDir(ctx, node),
      logFile(ctx, node),
      removedMarker(ctx, node),
    ]);
    await startMember(ctx, node);
  }

  /** Starts the member again on its existing data; does nothing when it is running, or was removed (membership). */
  async start(ctx: TargetContext, node: string): Promise<void> {
    if (await ctx.runtime.daemonRunning(node, DAEMON)) return;
    if (await isRemoved(ctx, node)) return;
    await startMember(ctx, node);
  }

  members(ctx: TargetContext): Promise<string[]> {
    return members(ctx);
  }

  removeMember(ctx: TargetContext, node: string): Promise<void> {
    return removeMember(ctx, node);
  }

  addMember(ctx: TargetContext, node: string): Promise<void> {
    return addMember(ctx, node);
  }

  /** Stops the member (SIGTERM, then SIGKILL) and removes its data; keeps the log. Idempotent. */
  async teardown(ctx: TargetContext, node: string): Promise<void> {
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node)]);
  }

  /** SIGKILLs the member and waits until the process is gone. Does nothing when it is not running. */
  async kill(ctx: TargetContext, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGKILL');
    await waitFor(
      `${node}: etcd to exit after SIGKILL`,
      10_000,
      async () => !(await ctx.runtime.daemonRunning(node, DAEMON)),
    );
  }

  /** SIGSTOPs the member and waits until the kernel reports it stopped. Throws when it is not running. */
  async pause(ctx: TargetContext, node: string): Promise<void> {
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGSTOP');
    await waitFor(`${node}: etcd to stop after SIGSTOP`, 5_000, async () => (await processState(ctx, node)) === 'T');
  }

  /** SIGCONTs the member and waits until it is no longer stopped. Does nothing when it is not running. */
  async resume(ctx: TargetContext, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGCONT');
    await waitFor(`${node}: etcd to run after SIGCONT`, 5_000, async () => (await processState(ctx, node)) !== 'T');
  }

  /**
   * Waits until every member answers, all agree on one leader, and a write
   * followed by a linearizable read succeeds. Throws after timeoutMs with
   * the last reason it was not ready.
   */
  async awaitReady(ctx: TargetContext, timeoutMs: number): Promise<void> {
    await waitUntilReady('etcd cluster', timeoutMs, async () => {
      const statuses = await Promise.all(
        ctx.nodes.map((n) => withGateway(ctx, n.name, (g) => g.status(AbortSignal.timeout(PROBE_TIMEOUT_MS)))),
      );
      const leaders = new Set(statuses.map((s) => s.leaderId));
      if (leaders.size !== 1 || leaders.has('') || leaders.has('0'))
        return `members disagree on the leader: ${[...leaders].join(', ') || 'none'}`;
      const token = `${Date.now()}`;
      const read = await withGateway(ctx, ctx.nodes[0]!.name, async (probe) => {
        await probe.put('/faultline/ready', token, AbortSignal.timeout(PROBE_TIMEOUT_MS));
        return probe.range('/faultline/ready', {}, AbortSignal.timeout(PROBE_TIMEOUT_MS));
      });
      return read[0]?.value === token || `wrote ${token} but read ${read[0]?.value ?? 'nothing'}`;
    });
  }

  /**
   * The nodes whose member currently considers itself the leader (usually
   * one; during a partition an old leader may still think it leads). Members
   * that do not answer within a second are left out; returns [] when none is
   * leader or none answers.
   */
  async primaries(ctx: TargetContext): Promise<string[]> {
    const answers = await Promise.all(
      ctx.nodes.map(async (n) => {
        try {
          const status = await withGateway(ctx, n.name, (g) => g.status(AbortSignal.timeout(PROBE_TIMEOUT_MS)));
          return status.memberId !== '' && status.memberId === status.leaderId ? n.name : undefined;
        } catch {
          return undefined;
        }
      }),
    );
    return answers.filter((name): name is string => name !== undefined);
  }

  logFiles(ctx: TargetContext, node: string): string[] {
    return [logFile(ctx, node)];
  }
}

export const etcdTarget = new EtcdTarget();
