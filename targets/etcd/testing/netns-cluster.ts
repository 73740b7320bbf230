/**
 * An etcd cluster on netns nodes, for the target's tests and the benchmark:
 * brings the namespaces up, installs and sets up etcd on every node, waits
 * until it is ready. `stop` tears etcd down and the namespaces, also after a
 * failure halfway through.
 */
import { rm } from 'node:fs/promises';
import type { Json } from '../../../harness/history/op.js';
import { type Logger, silentLogger } from '../../../harness/log.js';
import { createNetnsRuntime } from '../../../harness/runtime/netns/index.js';
import type { Runtime } from '../../../harness/runtime/runtime.js';
import { parseTargetOptions } from '../../options.js';
import type { TargetContext } from '../../target.js';
import { etcdTarget } from '../index.js';
import type { EtcdOptions } from '../options.js';

export interface NetnsEtcd {
  runtime: Runtime;
  ctx: TargetContext<EtcdOptions>;
  stop(): Promise<void>;
}

export interface NetnsEtcdOptions {
  /** Cluster name (namespaces' prefix). */
  name: string;
  nodes: number;
  subnet: string;
  options?: Record<string, Json>;
  log?: Logger;
  readyTimeoutMs?: number;
}

export async function startNetnsEtcd(o: NetnsEtcdOptions): Promise<NetnsEtcd> {
  const log = o.log ?? silentLogger;
  const baseDir = `/tmp/faultline-${o.name}`;
  const stateDir = `/tmp/faultline-${o.name}-state`;
  const runtime = createNetnsRuntime(
    {
      name: o.name,
      nodes: o.nodes,
      subnet: o.subnet,
      baseDir,
      stateDir,
      removeNodeDirs: true,
    },
    log,
  );
  const nodes = await runtime.up();
  const ctx: TargetContext<EtcdOptions> = {
    runtime,
    nodes,
    log,
    options: parseTargetOptions(etcdTarget, o.options ?? {}),
    nodeEnv: () => ({}),
  };
  const stop = async () => {
    try {
      await Promise.all(nodes.map((n) => etcdTarget.teardown(ctx, n.name)));
    } finally {
      await runtime.down();
      await rm(baseDir, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    }
  };
  try {
    for (const n of nodes) await etcdTarget.install(ctx, n.name);
    await Promise.all(nodes.map((n) => etcdTarget.setup(ctx, n.name)));
    await etcdTarget.awaitReady(ctx, o.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { runtime, ctx, stop };
}
