/**
 * The netns runtime (the default): each node is a Linux network namespace on
 * this host with its own address, loopback and firewall, and its own directory
 * <baseDir>/<cluster>/<node>/. Processes share the host's filesystem and PID
 * namespace. Needs root. Topology and naming: see layout.ts.
 */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { makeDir } from '../../make-dir.js';
import { BASE_ENV } from '../base-env.js';
import { DaemonRuntime } from '../daemon-runtime.js';
import type { ExecOptions, ExecResult, NodeInfo, Runtime } from '../runtime.js';
import { RuntimeCommandError } from '../runtime.js';
import { keptDataNote, prepareClusterDir, releaseClusterDir } from './data-dir.js';
import { type NetnsLayout, type NetnsOptions, planLayout } from './layout.js';
import { createNetwork, destroyNetwork, subnetInUse } from './network.js';
import { runLocal } from './run-local.js';
import { ownerAlive, readState, removeState, writeState } from './state.js';

export { cleanNetns } from './clean.js';
export type { NetnsOptions } from './layout.js';

/**
 * Validates the options (UserError naming the option) and returns a runtime;
 * nothing is created until `up`. Throws UserError when not running as root.
 */
export function createNetnsRuntime(options: NetnsOptions, log: Logger): Runtime {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new UserError(
      'the netns runtime needs root (it creates network namespaces); run as root, or choose --runtime docker or --runtime ssh',
    );
  }
  return new NetnsRuntime(planLayout(options), log);
}

class NetnsRuntime extends DaemonRuntime implements Runtime {
  readonly kind = 'netns';
  private isUp = false;

  get cluster(): string {
    return this.layout.cluster;
  }

  /** exec needs each node's namespace: the cluster name and the node names are enough. */
  attachment() {
    const { layout } = this;
    return {
      kind: this.kind,
      options: {
        name: layout.cluster,
        nodes: layout.nodes.map((n) => n.name),
        subnet: layout.subnet,
        baseDir: path.dirname(layout.clusterDir),
        stateDir: layout.stateDir,
      },
    };
  }

  constructor(
    private readonly layout: NetnsLayout,
    private readonly log: Logger,
  ) {
    super();
  }

  /**
   * Clears stale leftovers of this cluster name, then creates the namespaces,
   * the bridge and fresh (emptied) node directories. Throws UserError when
   * another live faultline owns the cluster name or the subnet is taken on the
   * host; on any other failure removes what it made and rethrows.
   */
  async up(): Promise<NodeInfo[]> {
    const { layout } = this;
    const stale = await readState(layout.stateDir, layout.cluster);
    if (stale && ownerAlive(stale)) {
      throw new UserError(
        `cluster ${layout.cluster} is in use by a running faultline (pid ${stale.ownerPid}); pick another name with runtime.netns.name, or stop it (faultline clean --name ${layout.cluster} --force)`,
      );
    }
    if (stale) await destroyNetwork(stale.layout, this.log);
    await destroyNetwork(layout, this.log);

    const conflict = await subnetInUse(layout.subnet, layout.hostLink);
    if (conflict) {
      throw new UserError(
        `subnet ${layout.subnet} overlaps ${conflict} on this host; choose another with runtime.netns.subnet (or --subnet)`,
      );
    }

    // Before anything is created: a base directory that cannot be made is the user's to fix (UserError).
    await prepareClusterDir(layout);
    await writeState(layout);
    try {
      await createNetwork(layout);
      for (const n of layout.nodes) {
        await rm(n.dir, { recursive: true, force: true });
        await makeDir(n.dir);
      }
    } catch (err) {
      await this.down().catch((downErr: unknown) =>
        this.log.error(`netns: cleanup after a failed up failed too: ${String(downErr)}`),
      );
      throw new Error(`netns: could not bring up cluster ${layout.cluster}: ${(err as Error).message}`, { cause: err });
    }
    this.isUp = true;
    this.log.info(
      `netns: cluster ${layout.cluster} up: ${layout.nodes.map((n) => `${n.name}=${n.address}`).join(' ')}, controller ${layout.controllerAddress}`,
    );
    return [...this.nodes()];
  }

  /**
   * Kills every process in the namespaces, deletes them and the veth, removes
   * the state file, and removes the node directories (runtime.netns.removeNodeDirs)
   * or logs where they are and how big. Idempotent.
   */
  async down(): Promise<void> {
    const { layout } = this;
    this.isUp = false;
    await destroyNetwork(layout, this.log);
    if (layout.removeNodeDirs) await rm(layout.clusterDir, { recursive: true, force: true });
    await removeState(layout.stateDir, layout.cluster);
    this.log.info(`netns: cluster ${layout.cluster} down`);
    if (!layout.removeNodeDirs) {
      await releaseClusterDir(layout);
      this.log.info(await keptDataNote(layout));
    }
  }

  nodes(): readonly NodeInfo[] {
    return this.isUp ? this.layout.nodes.map(({ name, address }) => ({ name, address })) : [];
  }

  node(name: string): NodeInfo {
    const { address } = this.layoutNode(name);
    return { name, address };
  }

  controllerAddress(): string {
    return this.layout.controllerAddress;
  }

  nodeDir(node: string): string {
    return this.layoutNode(node).dir;
  }

  /**
   * Runs argv inside the node's namespace (host filesystem, fresh environment
   * of BASE_ENV, the controller's HOME and options.env). With check (the
   * default) a non-zero exit or a timeout throws RuntimeCommandError;
   * otherwise resolves with it.
   */
  async exec(node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new Error(`exec on ${node}: empty argv`);
    const { namespace } = this.layoutNode(node);
    const command = options.cwd ? ['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', options.cwd, ...argv] : argv;
    let result: ExecResult;
    try {
      result = await runLocal(['ip', 'netns', 'exec', namespace, ...command], {
        env: { ...BASE_ENV, HOME: process.env.HOME ?? '/root', ...options.env },
        stdin: options.stdin,
        timeoutMs: options.timeoutMs,
      });
    } catch (err) {
      throw new RuntimeCommandError(node, argv, { stderr: (err as Error).message }, err);
    }
    if ((options.check ?? true) && (result.exitCode !== 0 || result.timedOut)) {
      throw new RuntimeCommandError(node, argv, result);
    }
    return result;
  }

  /** Nodes share the host's filesystem: a plain copy (files or directories), creating parent directories. */
  async copyTo(node: string, localPath: string, remotePath: string): Promise<void> {
    this.layoutNode(node);
    await copy(node, localPath, remotePath);
  }

  async copyFrom(node: string, remotePath: string, localPath: string): Promise<void> {
    this.layoutNode(node);
    await copy(node, remotePath, localPath);
  }

  private layoutNode(name: string) {
    const node = this.layout.nodes.find((n) => n.name === name);
    if (!node)
      throw new Error(
        `netns: no node named ${JSON.stringify(name)} (nodes: ${this.layout.nodes.map((n) => n.name).join(', ')})`,
      );
    return node;
  }
}

async function copy(node: string, from: string, to: string): Promise<void> {
  try {
    await makeDir(path.dirname(to));
    await cp(from, to, { recursive: true, force: true });
  } catch (err) {
    throw new RuntimeCommandError(node, ['cp', from, to], { stderr: (err as Error).message }, err);
  }
}
