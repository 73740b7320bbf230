/**
 * The process target: any system, in any language, defined entirely in the
 * config file (test.targetOptions, see ./options.ts), with clients that are
 * the user's own programs speaking JSON Lines on stdin and stdout
 * (docs/process-protocol.md).
 *
 * Per node, under runtime.nodeDir(node): `sut.data/` ({dataDir}: wiped by
 * setup and teardown) and `sut.log` (the daemon's stdout and stderr, kept and
 * collected). The start command runs as a daemon through the runtime
 * (`sh -c`, its own process group), so kill, pause, resume and restart work
 * as for etcd. With the membership commands it is Reconfigurable
 * (./membership.ts). It serves every workload: the adapter speaks the workload's
 * vocabulary (its ops' f, key and value are passed through as they are).
 */
import { workloadNames } from '../../workloads/index.js';
import { waitFor } from '../ready.js';
import type {
  ClientFactory,
  HasPrimaries,
  Killable,
  Pausable,
  ReadConsistency,
  Reconfigurable,
  Target,
  TargetContext,
} from '../target.js';
import { ProcessClient } from './client.js';
import { addMember, hasMembershipCommands, isRemoved, members, removeMember } from './membership.js';
import {
  DAEMON,
  daemonLog,
  dataDir,
  isReady,
  logTail,
  namedNodes,
  PROBE_TIMEOUT_MS,
  processState,
  readyCheck,
  removedMarker,
  runOnNode,
  STOP_GRACE_MS,
  startDaemon,
  stopSystem,
  valuesFor,
} from './node.js';
import { type ProcessOptions, processOptionsSchema } from './options.js';
import { fill, placeholderEnv, substitute } from './placeholders.js';

type Ctx = TargetContext<ProcessOptions>;

const client: ClientFactory<ProcessOptions> = (ctx, workload) =>
  new ProcessClient({
    command: (node) => substitute(ctx.options.client, valuesFor(ctx, node.name)),
    env: (node) => placeholderEnv(valuesFor(ctx, node.name)),
    cwd: ctx.workDir ?? process.cwd(),
    workload,
    log: ctx.log,
  });

class ProcessTarget
  implements
    Target<ProcessOptions>,
    Killable<ProcessOptions>,
    Pausable<ProcessOptions>,
    HasPrimaries<ProcessOptions>,
    ReadConsistency<ProcessOptions>,
    Reconfigurable<ProcessOptions>
{
  readonly name = 'process';
  readonly description =
    'any system, from the config file: shell commands start and stop it on each node, and client adapters in any language speak JSON Lines';
  readonly options = processOptionsSchema;
  readonly packages: readonly string[] = [];

  /** A client for every registered workload: the adapter speaks its vocabulary. */
  get clients(): Readonly<Record<string, ClientFactory<ProcessOptions>>> {
    return Object.fromEntries(workloadNames().map((name) => [name, client]));
  }

  linearizableReads(options: ProcessOptions): boolean {
    return options.linearizableReads;
  }

  /** Runs the install command on the node, when there is one. Throws with its output when it fails. */
  async install(ctx: Ctx, node: string): Promise<void> {
    if (ctx.options.install !== undefined) await runOnNode(ctx, node, ctx.options.install, { timeoutMs: 600_000 });
  }

  /** Stops a leftover daemon, wipes {dataDir}, the log and a removed-member marker, and starts the system. */
  async setup(ctx: Ctx, node: string): Promise<void> {
    await ctx.runtime.stopDaemon(node, DAEMON, STOP_GRACE_MS);
    await ctx.runtime.exec(node, [
      'sh',
      '-c',
      'mkdir -p "$(dirname "$2")" && rm -rf "$1" "$3" && mkdir -p "$1" && : > "$2"',
      'sh',
      dataDir(ctx, node),
      daemonLog(ctx, node),
      removedMarker(ctx, node),
    ]);
    await startDaemon(ctx, node);
  }

  /**
   * Starts the system again on its existing data; does nothing when it is
   * running, or when its member is removed (it comes back by addMember).
   */
  async start(ctx: Ctx, node: string): Promise<void> {
    if (await ctx.runtime.daemonRunning(node, DAEMON)) return;
    if (await isRemoved(ctx, node)) return;
    await startDaemon(ctx, node);
  }

  /**
   * Runs the stop command (when there is one; its failure is logged), stops
   * the daemon (SIGTERM, then SIGKILL) and removes {dataDir} (and the
   * removed-member marker); keeps the logs.
   */
  async teardown(ctx: Ctx, node: string): Promise<void> {
    await stopSystem(ctx, node);
    await ctx.runtime.exec(node, ['rm', '-rf', dataDir(ctx, node), removedMarker(ctx, node)]);
  }

  /** SIGKILLs the daemon's process group and waits until it is gone. Does nothing when it is not running. */
  async kill(ctx: Ctx, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGKILL');
    await waitFor(`${node}: the system to exit after SIGKILL`, 10_000, async () => {
      return !(await ctx.runtime.daemonRunning(node, DAEMON));
    });
  }

  /** SIGSTOPs the daemon's process group and waits until it is stopped. Throws when it is not running. */
  async pause(ctx: Ctx, node: string): Promise<void> {
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGSTOP');
    await waitFor(`${node}: the system to stop after SIGSTOP`, 5_000, async () => {
      return (await processState(ctx, node)) === 'T';
    });
  }

  /** SIGCONTs the daemon's process group and waits until it runs. Does nothing when it is not running. */
  async resume(ctx: Ctx, node: string): Promise<void> {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGCONT');
    await waitFor(`${node}: the system to run after SIGCONT`, 5_000, async () => {
      return (await processState(ctx, node)) !== 'T';
    });
  }

  /**
   * Waits until every node (but removed members) is ready: its daemon runs, and the ready command
   * exits 0 on it (readyCommand), or its TCP port accepts connections
   * (readyPort, default port). Throws at once when a daemon has exited (with
   * the last lines of its log), and after timeoutMs naming the nodes that
   * are not ready.
   */
  async awaitReady(ctx: Ctx, timeoutMs: number): Promise<void> {
    const pending = new Set<string>();
    for (const { name } of ctx.nodes) if (!(await isRemoved(ctx, name))) pending.add(name);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const node of [...pending]) {
        if (!(await ctx.runtime.daemonRunning(node, DAEMON))) {
          const tail = await logTail(ctx, node);
          throw new Error(`${node}: the system exited (${daemonLog(ctx, node)}${tail ? `: ${tail}` : ' is empty'})`);
        }
        if (await isReady(ctx, node)) pending.delete(node);
      }
      if (pending.size === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`not ready after ${timeoutMs} ms: ${[...pending].join(', ')} (${readyCheck(ctx)})`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * The nodes the primary command names (node names, addresses, address:port
   * or URLs, separated by spaces, commas or lines), asked on each node in turn
   * until one answers (exit 0). [] without a primary command, or when no
   * node answers or it names no node.
   */
  async primaries(ctx: Ctx): Promise<string[]> {
    const command = ctx.options.primary;
    if (command === undefined) return [];
    for (const { name } of ctx.nodes) {
      const answer = await runOnNode(ctx, name, command, { check: false, timeoutMs: PROBE_TIMEOUT_MS });
      if (answer.exitCode !== 0 || answer.timedOut) continue;
      return namedNodes(ctx, answer.stdout);
    }
    return [];
  }

  /** Why the membership fault cannot run with these options (no membership commands), or undefined when it can. */
  membershipUnsupported(options: ProcessOptions): string | undefined {
    return hasMembershipCommands(options)
      ? undefined
      : 'its targetOptions give no members, addMember and removeMember commands';
  }

  /** The nodes that are members now, in cluster order (the members command). Throws when no node answers. */
  members(ctx: Ctx): Promise<string[]> {
    return members(ctx);
  }

  /** Removes the node's member (the removeMember command on another member), stops it and wipes its data. */
  removeMember(ctx: Ctx, node: string): Promise<void> {
    return removeMember(ctx, node);
  }

  /** Adds the node back (the addMember command on another member), starts it with empty data, waits until ready. */
  addMember(ctx: Ctx, node: string): Promise<void> {
    return addMember(ctx, node);
  }

  /** The daemon's log, and the logFiles option's files with their placeholders filled in. */
  logFiles(ctx: Ctx, node: string): string[] {
    const values = valuesFor(ctx, node);
    return [daemonLog(ctx, node), ...ctx.options.logFiles.map((file) => fill(file, values))];
  }
}

export const processTarget = new ProcessTarget();
