import type { Json } from '../history/op.js';

/**
 * Runtime: where the nodes of a system under test live (netns, docker, ssh).
 * Targets, nemeses and clients reach nodes only through this interface, so one
 * implementation of a fault or of a database's setup serves every runtime.
 */

export interface NodeInfo {
  /** Short stable name: n1, n2, ... */
  name: string;
  /** Address the controller and the other nodes reach this node at. */
  address: string;
}

/** What the nodes must have. */
export interface NodeNeeds {
  packages?: readonly string[];
}

export interface ExecOptions {
  env?: Record<string, string>;
  stdin?: string | Buffer;
  /** Kill the command after this many milliseconds (result has timedOut). */
  timeoutMs?: number;
  cwd?: string;
  /** Throw a RuntimeCommandError on a non-zero exit (default true). */
  check?: boolean;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The signal that ended the command, if any. */
  signal?: string | undefined;
}

export interface DaemonSpec {
  /** Identifies the daemon on its node (pid and log files are named after it). */
  name: string;
  argv: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Where stdout and stderr go on the node; default `<nodeDir>/<name>.log`. */
  logFile?: string;
  /** Default `<nodeDir>/<name>.pid`. */
  pidFile?: string;
}

export type Signal = 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT' | 'SIGINT' | 'SIGHUP';

export interface Runtime {
  readonly kind: string;
  /** The cluster's name, unique on this controller: heal state is filed under it (`faultline heal --cluster`). */
  readonly cluster: string;
  /**
   * What `faultline heal` needs to reach these nodes again once they are up
   * (see harness/runtime/attach.ts): the runtime's options with the node
   * names resolved. Secrets are left out (they are Secret values, which
   * serialise as "(redacted)").
   */
  attachment(): { kind: string; options: Json };
  /**
   * Bring the nodes up (clearing stale leftovers of the same name first).
   * `needs.packages` are the Debian packages the nodes must have (the
   * target's and the faults'): the docker runtime builds them into its node
   * image; on netns (the host) and ssh nodes the target installs what is missing.
   */
  up(needs?: NodeNeeds): Promise<NodeInfo[]>;
  /** Tear everything down: nodes, links, processes, mounts. Idempotent. */
  down(): Promise<void>;
  /** The nodes, once up. */
  nodes(): readonly NodeInfo[];
  node(name: string): NodeInfo;
  /** The address the controller is seen from by the nodes (never partitioned away). */
  controllerAddress(): string;
  /** A directory on the node for the SUT's data and logs. */
  nodeDir(node: string): string;

  exec(node: string, argv: string[], options?: ExecOptions): Promise<ExecResult>;

  /** Start a process that outlives the call; resolves once its pid is known. */
  startDaemon(node: string, spec: DaemonSpec): Promise<{ pid: number }>;
  signalDaemon(node: string, name: string, signal: Signal): Promise<void>;
  /** SIGTERM, then SIGKILL after graceMs; resumes a paused daemon first. */
  stopDaemon(node: string, name: string, graceMs?: number): Promise<void>;
  daemonRunning(node: string, name: string): Promise<boolean>;
  daemonPid(node: string, name: string): Promise<number | undefined>;

  copyTo(node: string, localPath: string, remotePath: string): Promise<void>;
  copyFrom(node: string, remotePath: string, localPath: string): Promise<void>;
}

/** A command on a node failed. Carries the node, the command, exit code and stderr. */
export class RuntimeCommandError extends Error {
  readonly node: string;
  readonly argv: readonly string[];
  readonly exitCode: number | undefined;
  readonly stderr: string;
  readonly timedOut: boolean;
  constructor(
    node: string,
    argv: readonly string[],
    result: { exitCode?: number; stderr?: string; timedOut?: boolean },
    cause?: unknown,
  ) {
    const what = result.timedOut ? 'timed out' : `exited ${result.exitCode ?? '?'}`;
    const tail = (result.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    super(`on ${node}: \`${argv.join(' ')}\` ${what}${tail ? `: ${tail}` : ''}`, { cause });
    this.name = 'RuntimeCommandError';
    this.node = node;
    this.argv = argv;
    this.exitCode = result.exitCode;
    this.stderr = result.stderr ?? '';
    this.timedOut = result.timedOut ?? false;
  }
}
