/**
 * A Galera cluster on netns nodes, for the target's tests and the benchmark:
 * brings the namespaces up, installs and sets up Galera on every node, waits
 * until it is ready. `stop` tears Galera down and the namespaces, also after a
 * failure halfway through.
 */
import { rm } from 'node:fs/promises';
import type { Json } from '../../../harness/history/op.js';
import { type Logger, silentLogger } from '../../../harness/log.js';
import { createNetnsRuntime } from '../../../harness/runtime/netns/index.js';
import type { Runtime } from '../../../harness/runtime/runtime.js';
import { parseTargetOptions } from '../../options.js';
import type { TargetContext } from '../../target.js';
import { galeraTarget } from '../index.js';
import type { GaleraOptions } from '../options.js';

export interface NetnsGalera {
  runtime: Runtime;
  ctx: TargetContext<GaleraOptions>;
  stop(): Promise<void>;
}

export interface NetnsGaleraOptions {
  /** Cluster name (namespaces' prefix). */
  name: string;
  nodes: number;
  subnet: string;
  options?: Record<string, Json>;
  log?: Logger;
  readyTimeoutMs?: number;
}

export async function startNetnsGalera(o: NetnsGaleraOptions): Promise<NetnsGalera> {
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
  const ctx: TargetContext<GaleraOptions> = {
    runtime,
    nodes,
    log,
    options: parseTargetOptions(galeraTarget, o.options ?? {}),
    nodeEnv: () => ({}),
  };
  const stop = async () => {
    try {
      await Promise.all(nodes.map((n) => galeraTarget.teardown(ctx, n.name)));
    } finally {
      await runtime.down();
      await rm(baseDir, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    }
  };
  try {
    for (const n of nodes) await galeraTarget.install(ctx, n.name);
    await Promise.all(nodes.map((n) => galeraTarget.setup(ctx, n.name)));
    await galeraTarget.awaitReady(ctx, o.readyTimeoutMs ?? 120_000);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { runtime, ctx, stop };
}
