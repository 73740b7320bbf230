/**
 * The ssh runtime: the nodes are existing machines reached over SSH (ssh2, one
 * reused connection per node). Commands run through the remote POSIX shell,
 * with `sudo -n` when the user is not root; files move with `cat` over the
 * channel (so sudo works for them too); daemons are the shared shell
 * implementation (../daemon.ts). `up` connects to and checks every node;
 * `down` stops the daemons this runtime started and closes the connections.
 *
 * Host keys: accepted as presented unless a node sets hostKeyFingerprint.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';
import type { Json } from '../../history/op.js';
import type { Logger } from '../../log.js';
import { Secret, withoutSecrets } from '../../secret.js';
import { DaemonRuntime } from '../daemon-runtime.js';
import type { ExecOptions, ExecResult, NodeInfo, Runtime } from '../runtime.js';
import { RuntimeCommandError } from '../runtime.js';
import { remoteCommand, TIMEOUT_EXIT } from './command.js';
import { type RunIo, type RunResult, SshConnection } from './connection.js';
import { type ResolvedSshOptions, resolveSshOptions, type SshRuntimeOptions } from './options.js';

export type { SshNodeOptions, SshRuntimeOptions } from './options.js';

/** Validates the options (UserError naming the option) and returns a runtime; nothing connects until `up`. */
export function createSshRuntime(options: SshRuntimeOptions, log: Logger): Runtime {
  return new SshRuntime(resolveSshOptions(options), withoutSecrets(secretsMarked(options)), log);
}

/** The options with every passphrase a Secret, also one given as a plain string (so none is ever recorded). */
function secretsMarked(options: SshRuntimeOptions): SshRuntimeOptions {
  const mark = <T extends { passphrase?: string | Secret | undefined }>(o: T): T =>
    typeof o.passphrase === 'string' ? { ...o, passphrase: new Secret(o.passphrase) } : o;
  return { ...mark(options), nodes: options.nodes.map((n) => (typeof n === 'string' ? n : mark(n))) };
}

// How long past its timeout a command may take before we close the channel ourselves.
const DEADLINE_SLACK_MS = 5_000;

class SshRuntime extends DaemonRuntime implements Runtime {
  readonly kind = 'ssh';

  get cluster(): string {
    return this.options.cluster;
  }

  /** The options as given, without secrets: `faultline heal --config` supplies a key's passphrase again. */
  attachment() {
    return { kind: this.kind, options: this.given };
  }
  private readonly connections: Map<string, SshConnection>;
  private controller: string | undefined;
  private isUp = false;

  constructor(
    private readonly options: ResolvedSshOptions,
    private readonly given: Json,
    private readonly log: Logger,
  ) {
    super();
    this.connections = new Map(options.nodes.map((n) => [n.name, new SshConnection(n, options.connectTimeoutMs, log)]));
    this.controller = options.controllerAddress;
  }

  /**
   * Connects to every node and checks that commands run as root there (with
   * sudo if configured) and that the node directory can be made.
   * Throws UserError naming the node when it cannot connect or is not root.
   */
  async up(): Promise<NodeInfo[]> {
    await Promise.all(this.options.nodes.map((n) => this.checkNode(n.name)));
    if (this.controller === undefined) {
      const first = this.connection(this.options.nodes[0]!.name);
      // Without sudo: sudo drops SSH_CONNECTION ("client-ip client-port server-ip server-port").
      const result = await first.run('echo "$SSH_CONNECTION"');
      this.controller = result.stdout.toString('utf8').trim().split(/\s+/)[0] || undefined;
      if (this.controller === undefined)
        throw new UserError(
          `cannot tell the controller's address from ${first.describe()}; set runtime.ssh.controllerAddress`,
        );
    }
    this.isUp = true;
    this.log.info(
      `ssh: ${this.options.nodes.map((n) => `${n.name}=${n.user}@${n.host}:${n.port}`).join(' ')} up, controller ${this.controller}`,
    );
    return [...this.nodes()];
  }

  /** Stops the daemons this runtime started, then closes every connection. Idempotent. */
  async down(): Promise<void> {
    if (this.isUp) {
      try {
        await this.daemons.stopAll();
      } finally {
        this.isUp = false;
        for (const c of this.connections.values()) c.close();
      }
    }
    for (const c of this.connections.values()) c.close();
  }

  nodes(): readonly NodeInfo[] {
    return this.isUp ? this.options.nodes.map((n) => ({ name: n.name, address: n.host })) : [];
  }

  node(name: string): NodeInfo {
    const n = this.resolved(name);
    return { name: n.name, address: n.host };
  }

  /** The address the nodes see the controller at; known after `up` unless configured. */
  controllerAddress(): string {
    if (this.controller === undefined)
      throw new Error('ssh: the controller address is known only after up (or set runtime.ssh.controllerAddress)');
    return this.controller;
  }

  nodeDir(node: string): string {
    return this.resolved(node).dir;
  }

  /**
   * Runs argv on the node (through sudo -n if configured) with a fresh
   * environment of BASE_ENV, the remote user's HOME and options.env (`env -i`:
   * nothing of the login environment). A timeout kills the
   * command's process group on the node (coreutils `timeout`). With check (the
   * default) a non-zero exit, a timeout or a lost connection throws
   * RuntimeCommandError; otherwise resolves with the result (a lost connection
   * always throws: whether the command ran is unknown).
   */
  async exec(node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (argv.length === 0) throw new Error(`exec on ${node}: empty argv`);
    const n = this.resolved(node);
    const command = remoteCommand(argv, {
      env: options.env,
      cwd: options.cwd,
      timeoutMs: options.timeoutMs,
      sudo: n.sudo,
    });
    const started = Date.now();
    const raw = await this.run(node, argv, command, {
      stdin: options.stdin,
      deadlineMs: options.timeoutMs === undefined ? undefined : options.timeoutMs + DEADLINE_SLACK_MS,
    });
    const timedOut =
      raw.timedOut ||
      (options.timeoutMs !== undefined &&
        (raw.exitCode === TIMEOUT_EXIT || raw.exitCode === 137) &&
        Date.now() - started >= options.timeoutMs);
    const result: ExecResult = {
      exitCode: raw.exitCode ?? 255,
      stdout: raw.stdout.toString('utf8'),
      stderr: raw.stderr.toString('utf8'),
      timedOut,
      signal: raw.signal,
    };
    if ((options.check ?? true) && (result.exitCode !== 0 || timedOut))
      throw new RuntimeCommandError(node, argv, result);
    return result;
  }

  /** Streams a local file to the node with `cat` (creating parent directories). Throws RuntimeCommandError on failure. */
  async copyTo(node: string, localPath: string, remotePath: string): Promise<void> {
    const argv = ['sh', '-c', 'mkdir -p "$(dirname "$1")" && cat > "$1"', 'sh', remotePath];
    const n = this.resolved(node);
    const result = await this.run(node, argv, remoteCommand(argv, { sudo: n.sudo }), {
      stdin: createReadStream(localPath),
    });
    if (result.exitCode !== 0)
      throw new RuntimeCommandError(node, argv, { exitCode: result.exitCode, stderr: result.stderr.toString('utf8') });
  }

  /** Streams a file from the node into localPath (via a .part file, renamed when complete). Throws RuntimeCommandError on failure. */
  async copyFrom(node: string, remotePath: string, localPath: string): Promise<void> {
    const argv = ['cat', remotePath];
    const n = this.resolved(node);
    await mkdir(path.dirname(localPath), { recursive: true });
    const partial = `${localPath}.part`;
    const result = await this.run(node, argv, remoteCommand(argv, { sudo: n.sudo }), {
      stdout: createWriteStream(partial),
    });
    if (result.exitCode !== 0) {
      await rm(partial, { force: true });
      throw new RuntimeCommandError(node, argv, { exitCode: result.exitCode, stderr: result.stderr.toString('utf8') });
    }
    await rename(partial, localPath);
  }

  private async checkNode(node: string): Promise<void> {
    const conn = this.connection(node);
    try {
      await conn.connect();
    } catch (err) {
      throw new UserError(`ssh: ${(err as Error).message}`, { cause: err });
    }
    const result = await this.exec(node, ['sh', '-c', 'id -u && mkdir -p "$1"', 'sh', this.nodeDir(node)], {
      check: false,
    });
    if (result.exitCode !== 0 || result.stdout.trim() !== '0') {
      const how = conn.node.sudo
        ? 'with sudo -n (is passwordless sudo set up?)'
        : 'without sudo (set sudo: true, or connect as root)';
      throw new UserError(
        `ssh: commands on ${conn.describe()} must run as root ${how}; got uid ${result.stdout.trim() || '?'}, exit ${result.exitCode}: ${result.stderr.trim()}`,
      );
    }
  }

  private async run(node: string, argv: readonly string[], command: string, io: RunIo): Promise<RunResult> {
    const conn = this.connection(node);
    let result: RunResult;
    try {
      result = await conn.run(command, io);
    } catch (err) {
      throw new RuntimeCommandError(node, argv, { stderr: (err as Error).message }, err);
    }
    if (result.exitCode === undefined && !result.timedOut) {
      throw new RuntimeCommandError(node, argv, {
        stderr: `connection to ${conn.describe()} lost; the command may or may not have run`,
      });
    }
    return result;
  }

  private connection(node: string): SshConnection {
    const conn = this.connections.get(node);
    if (!conn)
      throw new Error(`ssh: no node named ${JSON.stringify(node)} (nodes: ${[...this.connections.keys()].join(', ')})`);
    return conn;
  }

  private resolved(node: string) {
    return this.connection(node).node;
  }
}
