/**
 * The docker runtime: each node is a container on a dedicated docker network.
 *
 *   network  faultline-<name>            bridge, its own subnet (default 10.231.4.0/24);
 *                                        .1 is the host (the controller), nodes from .2
 *   node     faultline-<name>-<node>     hostname <node>, fixed address, cap NET_ADMIN
 *                                        (iptables and tc inside), docker's init as PID 1
 *                                        (reaps killed daemons) running `sleep infinity`
 *
 * Commands run through the exec API (exec.ts), files move with put/getArchive
 * (archive.ts), daemons are the shared shell implementation (../daemon.ts).
 * The image is built once without a registry if need be and cached (image.ts).
 * Everything carries the label faultline.cluster=<name>, which is how `up`
 * clears stale leftovers and `down` finds what to remove.
 */

import { lstat, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, posix } from 'node:path';
import Docker from 'dockerode';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { pidAlive } from '../../process-alive.js';
import { DaemonRuntime } from '../daemon-runtime.js';
import type { ExecOptions, ExecResult, NodeInfo, NodeNeeds, Runtime } from '../runtime.js';
import { RuntimeCommandError } from '../runtime.js';
import { extractTo, packPath } from './archive.js';
import { dockerExec } from './exec.js';
import { ensureImage } from './image.js';
import { type DockerRuntimeOptions, hostAddress, type ResolvedDockerOptions, resolveDockerOptions } from './options.js';

export { ensureImage, imageTag } from './image.js';
export type { DockerImageOptions, DockerRuntimeOptions, ImageSource } from './options.js';

export const CLUSTER_LABEL = 'faultline.cluster';
/** `<host>:<pid>` of the faultline process that brought the cluster up. */
export const OWNER_LABEL = 'faultline.owner';

/**
 * Validates the options (UserError naming the option) and returns a runtime;
 * nothing is created until `up`.
 */
export function createDockerRuntime(options: DockerRuntimeOptions, log: Logger): Runtime {
  return new DockerRuntime(resolveDockerOptions(options), log);
}

/**
 * A runtime over a cluster that is already up (brought up by another
 * process, e.g. a controller that died), for `faultline heal`: finds each
 * node's running container by name and creates, starts and removes nothing
 * (its `down` does nothing). Throws UserError when dockerd does not answer or
 * a node's container is missing or not running.
 */
export async function attachDockerRuntime(options: DockerRuntimeOptions, log: Logger): Promise<Runtime> {
  const runtime = new DockerRuntime(resolveDockerOptions(options), log);
  await runtime.attach();
  return runtime;
}

/** The docker network of a cluster. */
export function networkName(cluster: string): string {
  return `faultline-${cluster}`;
}

/** The container of a node. */
export function containerName(cluster: string, node: string): string {
  return `faultline-${cluster}-${node}`;
}

/**
 * Removes every container labelled with the cluster name, the containers and
 * network named after it, and nothing else. Idempotent.
 */
export async function removeDockerCluster(
  docker: Docker,
  cluster: string,
  nodeNames: readonly string[] = [],
): Promise<void> {
  const labelled = await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${cluster}`] } });
  // By name, so that a labelled container and an expected name are one removal, not two racing ones.
  const names = new Set([
    ...labelled.flatMap((c) => c.Names.map((n) => n.replace(/^\//, ''))),
    ...nodeNames.map((n) => containerName(cluster, n)),
  ]);
  await Promise.all([...names].map((name) => removeContainer(docker, name)));
  await ignoreMissing(docker.getNetwork(networkName(cluster)).remove());
}

/** Force-removes a container; resolves once it is gone (also when someone else is removing it). */
async function removeContainer(docker: Docker, name: string): Promise<void> {
  const container = docker.getContainer(name);
  try {
    await ignoreMissing(container.remove({ force: true, v: true }));
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    // "removal already in progress": wait for it to finish (bounded).
    for (let i = 0; i < 300; i++) {
      if (
        !(await container.inspect().then(
          () => true,
          () => false,
        ))
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`docker: container ${name} is still being removed after 30 s`, { cause: error });
  }
}

class DockerRuntime extends DaemonRuntime implements Runtime {
  readonly kind = 'docker';

  get cluster(): string {
    return this.options.cluster;
  }

  /** Each container is named after its node: the cluster name and the node names find them. */
  attachment() {
    const o = this.options;
    return {
      kind: this.kind,
      options: {
        name: o.cluster,
        nodes: o.nodeNames,
        subnet: o.subnet.cidr,
        socketPath: o.socketPath,
        nodeDir: o.nodeDir,
      },
    };
  }
  private readonly docker: Docker;
  private infos: NodeInfo[] = [];
  /** Set once `up` got an answer from dockerd: from then on `down` has something to check. */
  private reachedDaemon = false;
  private readonly containers = new Map<string, Docker.Container>();

  constructor(
    private readonly options: ResolvedDockerOptions,
    private readonly log: Logger,
  ) {
    super();
    this.docker = new Docker({ socketPath: options.socketPath });
  }

  /**
   * Makes sure the image exists (building it once if needed), clears stale
   * leftovers of this cluster name, then creates the network and one running
   * container per node. Throws UserError when dockerd does not answer, when a
   * live faultline on this host owns the cluster name, or when the subnet is
   * taken; on any other failure removes what it made and rethrows.
   */
  async up(needs: NodeNeeds = {}): Promise<NodeInfo[]> {
    const { cluster, nodeNames, subnet } = this.options;
    await this.ping();
    this.reachedDaemon = true;
    const { image: imageOptions } = this.options;
    const extraPackages = [...imageOptions.extraPackages, ...(needs.packages ?? [])];
    const image = await ensureImage(this.docker, { ...imageOptions, extraPackages }, this.log);
    await this.clearStale();

    const network = networkName(cluster);
    const infos = nodeNames.map((name, i) => ({ name, address: hostAddress(subnet, i + 2) }));
    try {
      await this.createNetwork(network);
      const extraHosts = infos.map((n) => `${n.name}:${n.address}`);
      await Promise.all(
        infos.map(async (info) => {
          const container = await this.docker.createContainer({
            name: containerName(cluster, info.name),
            Hostname: info.name,
            Image: image,
            Cmd: ['sleep', 'infinity'],
            Env: ['LANG=C.UTF-8'],
            Labels: { [CLUSTER_LABEL]: cluster, [OWNER_LABEL]: owner() },
            HostConfig: {
              Init: true,
              CapAdd: ['NET_ADMIN'],
              NetworkMode: network,
              ExtraHosts: extraHosts,
            },
            NetworkingConfig: {
              EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: info.address }, Aliases: [info.name] } },
            },
          });
          await container.start();
          this.containers.set(info.name, container);
        }),
      );
      this.infos = infos;
      await Promise.all(infos.map((n) => this.exec(n.name, ['mkdir', '-p', this.nodeDir(n.name)])));
    } catch (error) {
      await this.down().catch((cleanup: unknown) =>
        this.log.warn(`docker: cleanup after failed up: ${String(cleanup)}`),
      );
      throw error;
    }
    this.log.info(`docker: ${infos.length} node(s) up on ${network} (${subnet.cidr}) from ${image}`);
    return [...this.infos];
  }

  /** See `attachDockerRuntime`. */
  async attach(): Promise<void> {
    const { cluster, nodeNames, subnet } = this.options;
    await this.ping();
    const infos = nodeNames.map((name, i) => ({ name, address: hostAddress(subnet, i + 2) }));
    for (const info of infos) {
      const name = containerName(cluster, info.name);
      const container = this.docker.getContainer(name);
      let running: boolean;
      try {
        running = (await container.inspect()).State.Running;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        throw new UserError(`container ${name} of node ${info.name} does not exist (the cluster was torn down?)`, {
          where: 'runtime.docker.name',
          cause: error,
        });
      }
      if (!running)
        throw new UserError(`container ${name} of node ${info.name} is not running`, { where: 'runtime.docker.name' });
      this.containers.set(info.name, container);
    }
    this.infos = infos;
  }

  /**
   * Removes the containers (and their processes) and the network. Idempotent.
   * Resolves at once when `up` never reached the daemon (nothing was made, or
   * the runtime was attached to someone else's cluster); otherwise throws when
   * the daemon does not answer.
   */
  async down(): Promise<void> {
    if (!this.reachedDaemon) return;
    await removeDockerCluster(this.docker, this.options.cluster, this.options.nodeNames);
    this.containers.clear();
    this.infos = [];
  }

  nodes(): readonly NodeInfo[] {
    return this.infos;
  }

  /** Throws Error for a node that is not up. */
  node(name: string): NodeInfo {
    const info = this.infos.find((n) => n.name === name);
    if (!info) throw new Error(`docker: no node ${name} (up: ${this.infos.map((n) => n.name).join(', ') || 'none'})`);
    return info;
  }

  controllerAddress(): string {
    return hostAddress(this.options.subnet, 1);
  }

  /** `<nodeDir option>/<node>`: distinct per node, like netns, though each container has its own filesystem. */
  nodeDir(node: string): string {
    return posix.join(this.options.nodeDir, node);
  }

  /** Rejects (never throws) with Error for a node that is not up or attached. */
  async exec(node: string, argv: string[], options?: ExecOptions): Promise<ExecResult> {
    return dockerExec(this.docker, this.container(node), node, argv, options);
  }

  /**
   * Copies a local file or directory (recursively) to `remotePath` on the node,
   * creating its parent directories. A relative remote path is under nodeDir.
   * Throws Error when the local path does not exist, RuntimeCommandError when
   * docker refuses the archive.
   */
  async copyTo(node: string, localPath: string, remotePath: string): Promise<void> {
    const container = this.container(node);
    const target = this.remote(node, remotePath);
    try {
      await lstat(localPath);
    } catch (error) {
      throw new Error(`copy to ${node}: cannot read ${localPath}`, { cause: error });
    }
    const parent = posix.dirname(target);
    await this.exec(node, ['mkdir', '-p', parent]);
    // Replace what is there, as cp would (putArchive refuses to turn a file into a directory).
    await this.exec(node, ['rm', '-rf', target]);
    try {
      await container.putArchive(packPath(localPath, posix.basename(target)), { path: parent });
    } catch (error) {
      throw new RuntimeCommandError(
        node,
        ['putArchive', localPath, target],
        { stderr: (error as Error).message },
        error,
      );
    }
  }

  /**
   * Copies a file or directory from the node to `localPath`, creating its
   * parent directories and replacing what was there. Throws RuntimeCommandError
   * when the remote path does not exist or cannot be read.
   */
  async copyFrom(node: string, remotePath: string, localPath: string): Promise<void> {
    const container = this.container(node);
    const source = this.remote(node, remotePath);
    let stream: NodeJS.ReadableStream;
    try {
      stream = await container.getArchive({ path: source });
    } catch (error) {
      throw new RuntimeCommandError(node, ['getArchive', source], { stderr: (error as Error).message }, error);
    }
    await mkdir(dirname(localPath), { recursive: true });
    await extractTo(stream, localPath);
  }

  private container(node: string): Docker.Container {
    const container = this.containers.get(node);
    if (!container)
      throw new Error(`docker: no node ${node} (up: ${[...this.containers.keys()].join(', ') || 'none'})`);
    return container;
  }

  private remote(node: string, path: string): string {
    return posix.isAbsolute(path) ? posix.normalize(path) : posix.join(this.nodeDir(node), path);
  }

  private async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw new UserError(
        `the docker daemon does not answer on ${this.options.socketPath}; start it (e.g. \`dockerd &\` as root) or choose another runtime`,
        { where: 'runtime.docker.socketPath', cause: error },
      );
    }
  }

  /** Removes leftovers of this cluster name unless a live faultline on this host owns them. */
  private async clearStale(): Promise<void> {
    const { cluster } = this.options;
    const stale = await this.docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${cluster}`] } });
    for (const c of stale) {
      const label = c.Labels[OWNER_LABEL] ?? '';
      const [host, pidText] = label.split(':');
      const pid = Number(pidText);
      if (host === hostname() && Number.isInteger(pid) && pid !== process.pid && pidAlive(pid)) {
        throw new UserError(
          `docker cluster ${cluster} is in use by a running faultline (pid ${pid}); pick another name with runtime.docker.name, or stop that run`,
        );
      }
    }
    if (stale.length > 0) this.log.info(`docker: removing ${stale.length} stale container(s) of cluster ${cluster}`);
    await removeDockerCluster(this.docker, cluster, this.options.nodeNames);
  }

  private async createNetwork(network: string): Promise<void> {
    const { subnet, cluster } = this.options;
    try {
      await this.docker.createNetwork({
        Name: network,
        Driver: 'bridge',
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet.cidr, Gateway: hostAddress(subnet, 1) }] },
        Labels: { [CLUSTER_LABEL]: cluster, [OWNER_LABEL]: owner() },
      });
    } catch (error) {
      const message = (error as Error).message;
      if (/overlap|in use|conflict/i.test(message)) {
        throw new UserError(`subnet ${subnet.cidr} is taken (${message.trim()}); choose another`, {
          where: 'runtime.docker.subnet',
          cause: error,
        });
      }
      throw error;
    }
  }
}

function owner(): string {
  return `${hostname()}:${process.pid}`;
}

/** Awaits a docker call that may 404 because the thing is already gone. */
async function ignoreMissing(call: Promise<unknown>): Promise<void> {
  try {
    await call;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404) throw error;
  }
}
