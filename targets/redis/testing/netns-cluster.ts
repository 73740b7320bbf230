/**
 * A Redis-with-Sentinel cluster on netns nodes, for the target's tests:
 * brings the namespaces up, installs and sets up Redis and a sentinel on
 * every node, waits until it is ready. `stop` tears it down with the
 * namespaces, also after a failure halfway through.
 */
import { rm } from 'node:fs/promises';
import type { Json } from '../../../harness/history/op.js';
import { type Logger, silentLogger } from '../../../harness/log.js';
import { createNetnsRuntime } from '../../../harness/runtime/netns/index.js';
import type { Runtime } from '../../../harness/runtime/runtime.js';
import { parseTargetOptions } from '../../options.js';
import type { TargetContext } from '../../target.js';
import { redisTarget } from '../index.js';
import type { RedisOptions } from '../options.js';

export interface NetnsRedis {
  runtime: Runtime;
  ctx: TargetContext<RedisOptions>;
  stop(): Promise<void>;
}

export interface NetnsRedisOptions {
  /** Cluster name (namespaces' prefix). */
  name: string;
  nodes: number;
  subnet: string;
  options?: Record<string, Json>;
  /** The SUT's extra environment per node (e.g. the clock fault's libfaketime). */
  nodeEnv?: (runtime: Runtime, node: string) => Record<string, string>;
  /** Runs on every node once it is up, before the SUT is set up (e.g. writing a zero clock offset). */
  prepare?: (runtime: Runtime, node: string) => Promise<void>;
  log?: Logger;
  readyTimeoutMs?: number;
}

export async function startNetnsRedis(o: NetnsRedisOptions): Promise<NetnsRedis> {
  const log = o.log ?? silentLogger;
  const baseDir = `/tmp/faultline-${o.name}`;
  const stateDir = `/tmp/faultline-${o.name}-state`;
  const runtime = createNetnsRuntime(
    { name: o.name, nodes: o.nodes, subnet: o.subnet, baseDir, stateDir, removeNodeDirs: true },
    log,
  );
  const nodes = await runtime.up();
  const ctx: TargetContext<RedisOptions> = {
    runtime,
    nodes,
    log,
    options: parseTargetOptions(redisTarget, o.options ?? {}),
    nodeEnv: (node) => o.nodeEnv?.(runtime, node) ?? {},
  };
  const stop = async () => {
    try {
      await Promise.all(nodes.map((n) => redisTarget.teardown(ctx, n.name)));
    } finally {
      await runtime.down();
      await rm(baseDir, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    }
  };
  try {
    for (const n of nodes) await o.prepare?.(runtime, n.name);
    for (const n of nodes) await redisTarget.install(ctx, n.name);
    await Promise.all(nodes.map((n) => redisTarget.setup(ctx, n.name)));
    await redisTarget.awaitReady(ctx, o.readyTimeoutMs ?? 60_000);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { runtime, ctx, stop };
}
