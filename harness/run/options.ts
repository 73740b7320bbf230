/**
 * The options of `faultline test`: the config file's `test` section with the
 * command-line flags merged over it (harness/config), plus defaults. Values
 * were validated by the config loader; this fills in what is missing.
 */
import { randomInt } from 'node:crypto';
import type { FaultlineConfig } from '../config/schema.js';
import type { Json } from '../history/op.js';
import { specLabel } from '../plugins/spec.js';

export interface TestOptions {
  name: string;
  /** A built-in name, an absolute module path or a package name (harness/plugins). */
  target: string;
  workload: string;
  /** The folder relative paths in the target's options are taken from: the config file's, else the working directory. */
  baseDir?: string;
  /** Nemesis package names; empty for no faults. */
  nemesis: string[];
  nemesisIntervalSeconds: number;
  concurrency: number;
  timeLimitSeconds: number;
  seed: number;
  /** Ops per second across all clients; 0 means as fast as they go. */
  rate: number;
  resultsDir: string;
  /** Per-op timeout: a client op still running after it is recorded as info. */
  opTimeoutMs: number;
  /** After healing, how long to let the cluster recover before final reads. */
  recoverySeconds: number;
  /** Budget for the checker; past it the verdict is unknown. */
  checkTimeoutSeconds: number;
  /** test.targetOptions from the config (the target's schema parses them with targetFlags over them). */
  targetOptions: Record<string, Json>;
  /** Target option flags as typed, by option key (e.g. readMode from --read-mode). */
  targetFlags?: Record<string, string>;
  workloadOptions: Record<string, Json>;
  nemesisOptions: Record<string, Json>;
}

/** Options of the run itself that live only on the command line. */
export interface RunFlags {
  opTimeoutMs?: number;
  recoverySeconds?: number;
  checkTimeoutSeconds?: number;
}

export function resolveTestOptions(config: FaultlineConfig, flags: RunFlags = {}): TestOptions {
  const t = config.test;
  const target = t.target ?? 'etcd';
  const workload = t.workload ?? 'register';
  return {
    name: t.name ?? `${specLabel(target)}-${specLabel(workload)}`,
    target,
    workload,
    baseDir: config.baseDir ?? process.cwd(),
    nemesis: t.nemesis ?? [],
    nemesisIntervalSeconds: t.nemesisIntervalSeconds ?? 10,
    concurrency: t.concurrency ?? 10,
    timeLimitSeconds: t.timeLimitSeconds ?? 60,
    seed: t.seed ?? randomInt(1, 2 ** 31 - 1),
    rate: t.rate ?? 0,
    resultsDir: t.resultsDir ?? 'results',
    opTimeoutMs: flags.opTimeoutMs ?? 5_000,
    recoverySeconds: flags.recoverySeconds ?? 10,
    checkTimeoutSeconds: flags.checkTimeoutSeconds ?? 300,
    targetOptions: t.targetOptions ?? {},
    workloadOptions: t.workloadOptions ?? {},
    nemesisOptions: t.nemesisOptions ?? {},
  };
}

/** The node names a runtime config will bring up (for the test record before `up`). */
export function plannedNodeCount(config: FaultlineConfig): number {
  const nodes = config.runtime[config.runtime.kind]?.nodes;
  if (Array.isArray(nodes)) return nodes.length;
  return typeof nodes === 'number' ? nodes : 5;
}
