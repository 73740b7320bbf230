/**
 * Target: one real system under test (etcd, ...). It installs, configures and
 * runs the SUT on a node through the Runtime, lists its logs, and makes
 * clients for the workloads it supports. It declares what it needs and
 * accepts, so nothing outside its folder knows it:
 *
 * - `options`: a zod object schema, one field per option, each with
 *   `.describe('help')` and its default; the config's test.targetOptions and
 *   a command-line flag per field (readMode -> --read-mode) fill it in.
 * - `packages`: the Debian packages the SUT needs on a node (scripts/setup.sh,
 *   the docker node image and installs over ssh use them).
 * - `clients`: a client factory per workload it supports.
 *
 * Optional capabilities are separate interfaces with type guards below.
 */
import type { Logger } from '../harness/log.js';
import type { NodeInfo, Runtime } from '../harness/runtime/runtime.js';
import type { Client } from '../workloads/client.js';
import type { WorkloadOptions } from '../workloads/workload.js';

/** The options object of a target: what its schema parses test.targetOptions and its flags into. */
export type TargetOptions = Record<string, unknown>;

/**
 * A target's options schema: a zod (version 4) object schema,
 * `z.object({ port: z.number().default(8000).describe('...') })`. Typed here
 * by the one method faultline calls, so that the package's types do not
 * depend on zod's (faultline reads the fields, defaults and descriptions from
 * the schema's definition, whichever copy of zod 4 made it).
 */
export interface OptionsSchema<O> {
  safeParse(value: unknown): { success: true; data: O } | { success: false; error: unknown };
}

/** What a target's methods are given: the runtime and its nodes, a logger, the parsed options. */
export interface TargetContext<O = TargetOptions> {
  runtime: Runtime;
  nodes: readonly NodeInfo[];
  log: Logger;
  /** The target's options, parsed by its schema (defaults filled in). */
  options: O;
  /**
   * The folder relative paths in the options are taken from, on the
   * controller: the config file's folder, else the working directory.
   * Undefined: the working directory.
   */
  workDir?: string | undefined;
  /**
   * Extra environment for the SUT's processes on a node, e.g. the clock
   * fault's libfaketime variables. Targets pass it to startDaemon.
   */
  nodeEnv(node: string): Record<string, string>;
  /**
   * The run's workload options (e.g. the bank's accounts and total, which a
   * client must create); undefined outside a run.
   */
  workloadOptions?: WorkloadOptions;
}

/** Makes a fresh client for a workload; the interpreter opens it on a node. */
export type ClientFactory<O = TargetOptions> = (ctx: TargetContext<O>, workload: string) => Client;

/**
 * A system under test (see the file comment). Every method may throw; the
 * run then stops, heals and tears down, and reports the error.
 */
export interface Target<O = TargetOptions> {
  readonly name: string;
  /** One line for --help. */
  readonly description: string;
  /** Its options (a zod object schema with a description and default per field). */
  readonly options: OptionsSchema<O>;
  /** Debian packages the SUT needs on every node. */
  readonly packages: readonly string[];
  /** A client factory per workload name it supports. */
  readonly clients: Readonly<Record<string, ClientFactory<O>>>;
  /** Make sure the SUT's software is on the node. */
  install(ctx: TargetContext<O>, node: string): Promise<void>;
  /** Write config and start the SUT for the first time (fresh data). */
  setup(ctx: TargetContext<O>, node: string): Promise<void>;
  /** Start the SUT again on existing data (after a kill). */
  start(ctx: TargetContext<O>, node: string): Promise<void>;
  /** Stop the SUT and remove its data, but keep its log files (logFiles): they are collected after. */
  teardown(ctx: TargetContext<O>, node: string): Promise<void>;
  /** Wait until the cluster serves requests again (after setup or healing). */
  awaitReady(ctx: TargetContext<O>, timeoutMs: number): Promise<void>;
  /** How long the cluster may take to become ready after setup; default 60 s (a JVM ensemble may need more). */
  readonly readyTimeoutMs?: number;
  /** Paths of log files on the node, copied into results/nodes/<node>/. */
  logFiles(ctx: TargetContext<O>, node: string): string[];
}

/** A target, typed by its options (keeps each target's file free of casts). */
export function defineTarget<O, T extends Target<O>>(target: T & Target<O>): T {
  return target;
}

/** Can be killed with SIGKILL (and started again with `start`). */
export interface Killable<O = TargetOptions> {
  kill(ctx: TargetContext<O>, node: string): Promise<void>;
}

/** Can be paused with SIGSTOP and resumed with SIGCONT. */
export interface Pausable<O = TargetOptions> {
  pause(ctx: TargetContext<O>, node: string): Promise<void>;
  resume(ctx: TargetContext<O>, node: string): Promise<void>;
}

/** Can name the current primaries (leaders). */
export interface HasPrimaries<O = TargetOptions> {
  primaries(ctx: TargetContext<O>): Promise<string[]>;
}

/**
 * Can change its membership (the membership fault): remove a member and add
 * it back as a new, empty member. A removed member's node keeps running
 * nothing until it is added again; `start` leaves it down.
 */
export interface Reconfigurable<O = TargetOptions> {
  /** The nodes that are members now, in cluster order. Throws when no member answers. */
  members(ctx: TargetContext<O>): Promise<string[]>;
  /** Removes the node's member from the cluster, stops it and wipes its data. Throws when the cluster refuses. */
  removeMember(ctx: TargetContext<O>, node: string): Promise<void>;
  /** Adds the node back as a new member with empty data and starts it. Throws when the cluster refuses. */
  addMember(ctx: TargetContext<O>, node: string): Promise<void>;
  /**
   * For a target that can change its membership only with some options (the
   * process target needs its membership commands): why it cannot with
   * these, or undefined when it can. Absent: it always can.
   */
  membershipUnsupported?(options: O): string | undefined;
}

/** Says whether its processes honour libfaketime (Go programs read the clock through the vDSO). */
export interface ClockSensitivity {
  /** undefined when they do; otherwise the reason they don't. */
  readonly ignoresFaketime: string | undefined;
}

/** Says whether reads are linearizable under the given options (then a stale read is an anomaly). */
export interface ReadConsistency<O = TargetOptions> {
  linearizableReads(options: O): boolean;
}

/**
 * Has options that fit only some cluster sizes (e.g. a replica count that
 * must leave a primary): judged against the node count the run will bring up,
 * before any node exists.
 */
export interface NodeCountLimits<O = TargetOptions> {
  /**
   * The option (its key in the options object) that does not fit a cluster of
   * `nodeCount` nodes, and why ("expected ..., got ..."); undefined when all do.
   */
  optionsProblem(options: O, nodeCount: number): { key: string; message: string } | undefined;
}

/**
 * Says which consistency models its transactions promise under the options
 * (e.g. an isolation level): the transactional checkers hold the history to
 * them unless the user names others (--consistency-models).
 */
export interface TransactionalModels<O = TargetOptions> {
  consistencyModels(options: O): string[];
}

export function isKillable<O>(t: Target<O>): t is Target<O> & Killable<O> {
  return typeof (t as Partial<Killable<O>>).kill === 'function';
}
export function isPausable<O>(t: Target<O>): t is Target<O> & Pausable<O> {
  return (
    typeof (t as Partial<Pausable<O>>).pause === 'function' && typeof (t as Partial<Pausable<O>>).resume === 'function'
  );
}
export function hasPrimaries<O>(t: Target<O>): t is Target<O> & HasPrimaries<O> {
  return typeof (t as Partial<HasPrimaries<O>>).primaries === 'function';
}
export function hasReadConsistency<O>(t: Target<O>): t is Target<O> & ReadConsistency<O> {
  return typeof (t as Partial<ReadConsistency<O>>).linearizableReads === 'function';
}
export function hasNodeCountLimits<O>(t: Target<O>): t is Target<O> & NodeCountLimits<O> {
  return typeof (t as Partial<NodeCountLimits<O>>).optionsProblem === 'function';
}
export function hasTransactionalModels<O>(t: Target<O>): t is Target<O> & TransactionalModels<O> {
  return typeof (t as Partial<TransactionalModels<O>>).consistencyModels === 'function';
}
export function isReconfigurable<O>(t: Target<O>): t is Target<O> & Reconfigurable<O> {
  const r = t as Partial<Reconfigurable<O>>;
  return typeof r.members === 'function' && typeof r.removeMember === 'function' && typeof r.addMember === 'function';
}
/**
 * Why the target cannot change its membership (with `options`, when given),
 * or undefined when it can: it is Reconfigurable, and does not refuse the options.
 */
export function whyNotReconfigurable<O>(t: Target<O>, options?: O): string | undefined {
  if (!isReconfigurable(t)) return 'it does not implement Reconfigurable';
  return options === undefined ? undefined : t.membershipUnsupported?.(options);
}
export function hasClockSensitivity<O>(t: Target<O>): t is Target<O> & ClockSensitivity {
  return 'ignoresFaketime' in t;
}

/** A target of any options type (registries and the run hold these). */
// biome-ignore lint/suspicious/noExplicitAny: each target is typed by its own options
export type AnyTarget = Target<any>;

/** The workload names a target has clients for. */
export function targetWorkloads(t: AnyTarget): string[] {
  return Object.keys(t.clients);
}
