/**
 * Target: one real system under test (etcd, ...). It installs, configures and
 * runs the SUT on a node through the Runtime, lists its logs, and makes
 * clients for the workloads it supports.
 *
 * Optional capabilities are separate interfaces with type guards below.
 */
import type { Json } from '../harness/history/op.js';
import type { Logger } from '../harness/log.js';
import type { NodeInfo, Runtime } from '../harness/runtime/runtime.js';
import type { Client } from '../workloads/client.js';

export interface TargetContext {
  runtime: Runtime;
  nodes: readonly NodeInfo[];
  log: Logger;
  /** Target-specific options from flags or config, e.g. { readMode: "linearizable" }. */
  options: Record<string, Json>;
  /**
   * Extra environment for the SUT's processes on a node, e.g. the clock
   * nemesis's libfaketime variables. Targets pass it to startDaemon.
   */
  nodeEnv(node: string): Record<string, string>;
}

export interface Target {
  readonly name: string;
  /** Workload names this target has clients for. */
  readonly workloads: readonly string[];
  /** Make sure the SUT's software is on the node. */
  install(ctx: TargetContext, node: string): Promise<void>;
  /** Write config and start the SUT for the first time (fresh data). */
  setup(ctx: TargetContext, node: string): Promise<void>;
  /** Start the SUT again on existing data (after a kill). */
  start(ctx: TargetContext, node: string): Promise<void>;
  /** Stop the SUT and remove its data, but keep its log files (logFiles): they are collected after. */
  teardown(ctx: TargetContext, node: string): Promise<void>;
  /** Wait until the cluster serves requests again (after setup or healing). */
  awaitReady(ctx: TargetContext, timeoutMs: number): Promise<void>;
  /** Paths of log files on the node, copied into results/nodes/<node>/. */
  logFiles(ctx: TargetContext, node: string): string[];
  /** A fresh client for a workload; the interpreter opens it on a node. */
  client(workload: string, ctx: TargetContext): Client;
}

/** Can be killed with SIGKILL (and started again with `start`). */
export interface Killable {
  kill(ctx: TargetContext, node: string): Promise<void>;
}

/** Can be paused with SIGSTOP and resumed with SIGCONT. */
export interface Pausable {
  pause(ctx: TargetContext, node: string): Promise<void>;
  resume(ctx: TargetContext, node: string): Promise<void>;
}

/** Can name the current primaries (leaders). */
export interface HasPrimaries {
  primaries(ctx: TargetContext): Promise<string[]>;
}

/** Says whether its processes honour libfaketime (Go programs read the clock through the vDSO). */
export interface ClockSensitivity {
  /** undefined when they do; otherwise the reason they don't. */
  readonly ignoresFaketime: string | undefined;
}

/** Says whether reads are linearizable under the given target options (then a stale read is an anomaly). */
export interface ReadConsistency {
  /** Throws UserError for invalid options. */
  linearizableReads(options: Record<string, Json>): boolean;
}

export function isKillable(t: Target): t is Target & Killable {
  return typeof (t as Partial<Killable>).kill === 'function';
}
export function isPausable(t: Target): t is Target & Pausable {
  return typeof (t as Partial<Pausable>).pause === 'function' && typeof (t as Partial<Pausable>).resume === 'function';
}
export function hasPrimaries(t: Target): t is Target & HasPrimaries {
  return typeof (t as Partial<HasPrimaries>).primaries === 'function';
}
export function hasReadConsistency(t: Target): t is Target & ReadConsistency {
  return typeof (t as Partial<ReadConsistency>).linearizableReads === 'function';
}
export function hasClockSensitivity(t: Target): t is Target & ClockSensitivity {
  return 'ignoresFaketime' in t;
}
