/**
 * A PostgreSQL target on netns nodes, for the target's tests: brings the
 * namespaces up, installs and sets up every node, waits until it is ready.
 * `stop` tears the target and the namespaces down, also after a failure
 * halfway through.
 */
import { rm } from 'node:fs/promises';
import type { Json } from '../../../harness/history/op.js';
import { type Logger, silentLogger } from '../../../harness/log.js';
import { createNetnsRuntime } from '../../../harness/runtime/netns/index.js';
import type { Runtime } from '../../../harness/runtime/runtime.js';
import type { WorkloadOptions } from '../../../workloads/workload.js';
import { parseTargetOptions } from '../../options.js';
import type { TargetContext } from '../../target.js';
import { postgresTarget } from '../index.js';
import type { PostgresOptions } from '../options.js';

export interface NetnsPostgres {
  runtime: Runtime;
  ctx: TargetContext<PostgresOptions>;
  stop(): Promise<void>;
}

export interface NetnsPostgresOptions {
  /** Cluster name (namespaces' prefix). */
  name: string;
  nodes: number;
  subnet: string;
  options?: Record<string, Json>;
  workloadOptions?: WorkloadOptions;
  /** Extra environment for the server (e.g. the clock fault's). */
  nodeEnv?: (runtime: Runtime, node: string) => Record<string, string>;
  /** Runs once the nodes are up, before the target is set up (e.g. writing the clock offset files). */
  beforeSetup?: (runtime: Runtime) => Promise<void>;
  log?: Logger;
}

export async function startNetnsPostgres(o: NetnsPostgresOptions): Promise<NetnsPostgres> {
  const log = o.log ?? silentLogger;
  const baseDir = `/tmp/faultline-${o.name}`;
  const stateDir = `/tmp/faultline-${o.name}-state`;
  const runtime = createNetnsRuntime(
    { name: o.name, nodes: o.nodes, subnet: o.subnet, baseDir, stateDir, removeNodeDirs: true },
    log,
  );
  const nodes = await runtime.up();
  const ctx: TargetContext<PostgresOptions> = {
    runtime,
    nodes,
    log,
    options: parseTargetOptions(postgresTarget, o.options ?? {}),
    nodeEnv: (node) => o.nodeEnv?.(runtime, node) ?? {},
    workloadOptions: o.workloadOptions ?? { concurrency: 1 },
  };
  const stop = async () => {
    try {
      await Promise.all(nodes.map((n) => postgresTarget.teardown(ctx, n.name)));
    } finally {
      await runtime.down();
      await rm(baseDir, { recursive: true, force: true });
      await rm(stateDir, { recursive: true, force: true });
    }
  };
  try {
    await o.beforeSetup?.(runtime);
    await Promise.all(nodes.map((n) => postgresTarget.install(ctx, n.name)));
    await Promise.all(nodes.map((n) => postgresTarget.setup(ctx, n.name)));
    await postgresTarget.awaitReady(ctx, 60_000);
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
  return { runtime, ctx, stop };
}
