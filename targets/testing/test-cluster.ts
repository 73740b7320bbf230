/**
 * A target's cluster for its tests and benchmarks, on any runtime: brings the
 * nodes up (network namespaces by default, docker containers, or the nodes
 * of an ssh runtime), installs and sets up the target on every node, waits
 * until it is ready. `stop` tears the target down and the nodes, also after a
 * failure halfway through.
 *
 *   const cluster = await startTestCluster(etcdTarget, { name: 't7etcd', nodes: 3, subnet: '10.231.3.0/24' });
 *   const onDocker = await startTestCluster(galeraTarget, { ..., runtime: { kind: 'docker' } });
 */
import { rm } from 'node:fs/promises';
import type { Json } from '../../harness/history/op.js';
import { type Logger, silentLogger } from '../../harness/log.js';
import { createDockerRuntime } from '../../harness/runtime/docker/index.js';
import { createNetnsRuntime } from '../../harness/runtime/netns/index.js';
import type { NodeNeeds, Runtime } from '../../harness/runtime/runtime.js';
import { createSshRuntime, type SshRuntimeOptions } from '../../harness/runtime/ssh/index.js';
import { faultPackages } from '../../nemesis/registry.js';
import type { WorkloadOptions } from '../../workloads/workload.js';
import { parseTargetOptions } from '../options.js';
import type { Target, TargetContext } from '../target.js';

/** Where the nodes live. */
export type TestRuntime =
  /** Network namespaces on this host (the default). */
  | { kind: 'netns' }
  /**
   * A container per node. The node image gets the target's and the faults'
   * packages plus `extraPackages` (tests of several targets that name each
   * other's packages share one image).
   */
  | { kind: 'docker'; socketPath?: string; extraPackages?: readonly string[] }
  /** The nodes of an ssh runtime (e.g. startSshdCluster's sshOptions()); name and subnet are not used. */
  | { kind: 'ssh'; options: SshRuntimeOptions };

export interface TestClusterOptions {
  /** Cluster name (namespaces' or containers' prefix). */
  name: string;
  nodes: number;
  subnet: string;
  runtime?: TestRuntime;
  /** The target's options (test.targetOptions), parsed by its schema. */
  options?: Record<string, Json>;
  workloadOptions?: WorkloadOptions;
  /** The SUT's extra environment per node (e.g. the clock fault's libfaketime). */
  nodeEnv?: (runtime: Runtime, node: string) => Record<string, string>;
  /** Runs on every node once it is up, before the target is installed (e.g. writing a zero clock offset). */
  prepare?: (runtime: Runtime, node: string) => Promise<void>;
  log?: Logger;
  /** Default: the target's readyTimeoutMs, else 60 s. */
  readyTimeoutMs?: number;
}

export interface TestCluster<O> {
  runtime: Runtime;
  ctx: TargetContext<O>;
  stop(): Promise<void>;
}

function createTestRuntime(o: TestClusterOptions, dirs: { baseDir: string; stateDir: string }, log: Logger): Runtime {
  const runtime = o.runtime ?? { kind: 'netns' };
  switch (runtime.kind) {
    case 'netns':
      return createNetnsRuntime({ name: o.name, nodes: o.nodes, subnet: o.subnet, ...dirs, removeNodeDirs: true }, log);
    case 'docker':
      return createDockerRuntime(
        {
          name: o.name,
          nodes: o.nodes,
          subnet: o.subnet,
          ...(runtime.socketPath ? { socketPath: runtime.socketPath } : {}),
          image: { extraPackages: [...(runtime.extraPackages ?? [])] },
        },
        log,
      );
    case 'ssh':
      return createSshRuntime(runtime.options, log);
  }
}

/** Starts `target` on a fresh cluster (see the file comment). Throws, having torn down what it made, when setup or readiness fails. */
export async function startTestCluster<O>(target: Target<O>, o: TestClusterOptions): Promise<TestCluster<O>> {
  const log = o.log ?? silentLogger;
  const dirs = { baseDir: `/tmp/faultline-${o.name}`, stateDir: `/tmp/faultline-${o.name}-state` };
  const runtime = createTestRuntime(o, dirs, log);
  const needs: NodeNeeds = { packages: [...target.packages, ...faultPackages()] };
  const nodes = await runtime.up(needs);
  const ctx: TargetContext<O> = {
    runtime,
    nodes,
    log,
    options: parseTargetOptions(target, o.options ?? {}),
    nodeEnv: (node) => o.nodeEnv?.(runtime, node) ?? {},
    ...(o.workloadOptions ? { workloadOptions: o.workloadOptions } : {}),
  };
  const stop = async () => {
    try {
      await Promise.all(nodes.map((n) => target.teardown(ctx, n.name)));
    } finally {
      await runtime.down();
      await rm(dirs.baseDir, { recursive: true, force: true });
      await rm(dirs.stateDir, { recursive: true, force: true });
    }
  };
  try {
    for (const n of nodes) await o.prepare?.(runtime, n.name);
    for (const n of nodes) await target.install(ctx, n.name);
    await Promise.all(nodes.map((n) => target.setup(ctx, n.name)));
    await target.awaitReady(ctx, o.readyTimeoutMs ?? target.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { runtime, ctx, stop };
}
