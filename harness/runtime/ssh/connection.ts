/**
 * One reused SSH connection to a node (ssh2). A dropped connection is opened
 * again on the next command. A command whose channel could not be opened is
 * retried on a fresh connection (it never started); a command cut off midway
 * is not retried (it may have run) and fails with the cause.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { Logger } from '../../log.js';
import type { ResolvedSshNode } from './options.js';

export interface RunResult {
  /** undefined when the channel closed without an exit status (connection lost). */
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: Buffer;
  stderr: Buffer;
  /** The local deadline passed and the channel was closed. */
  timedOut: boolean;
}

export interface RunIo {
  stdin?: string | Buffer | Readable;
  /** Stream stdout here instead of collecting it. */
  stdout?: Writable;
  /** Close the channel after this long (a backstop; the remote `timeout` normally acts first). */
  deadlineMs?: number;
}

/** OpenSSH's SHA256 fingerprint of a host key blob: SHA256:<base64 without padding>. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

// OpenSSH allows 10 sessions per connection by default (MaxSessions); stay below.
const MAX_CHANNELS = 8;
const CONNECT_ATTEMPTS = 3;

export class SshConnection {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private open = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(
    readonly node: ResolvedSshNode,
    private readonly connectTimeoutMs: number,
    private readonly log: Logger,
  ) {}

  /** Runs a command string; resolves with its exit status and output. Rejects when the command could not be run at all. */
  async run(command: string, io: RunIo = {}): Promise<RunResult> {
    await this.acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        const client = await this.connection();
        let channel: ClientChannel;
        try {
          channel = await new Promise<ClientChannel>((resolve, reject) =>
            client.exec(command, (err, stream) => (err ? reject(err) : resolve(stream))),
          );
        } catch (err) {
          // The command never started: drop this connection and try a fresh one.
          this.drop(client);
          if (attempt >= 2)
            throw new Error(`${this.describe()}: cannot open a channel: ${(err as Error).message}`, { cause: err });
          continue;
        }
        // If the connection dies midway, make sure the channel reports it.
        const onLost = () => channel.emit('close');
        client.once('close', onLost);
        try {
          return await collect(channel, io);
        } finally {
          client.off('close', onLost);
        }
      }
    } finally {
      this.release();
    }
  }

  /** Connects now (if not connected) so that `up` reports a bad host or credentials early. */
  async connect(): Promise<void> {
    await this.connection();
  }

  /** Closes the connection; later calls to run reconnect. */
  close(): void {
    this.closed = true;
    this.client?.end();
    this.client = undefined;
    this.connecting = undefined;
  }

  describe(): string {
    return `${this.node.name} (${this.node.user}@${this.node.host}:${this.node.port})`;
  }

  private connection(): Promise<Client> {
    this.closed = false;
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connectWithRetry().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connectWithRetry(): Promise<Client> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
      try {
        const client = await this.connectOnce();
        this.client = client;
        return client;
      } catch (err) {
        lastError = err;
        if (
          (err as { level?: string }).level === 'client-authentication' ||
          (err as Error).message.includes('host key')
        )
          break;
        this.log.debug(`ssh ${this.describe()}: connect attempt ${attempt} failed: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    throw new Error(`cannot connect to ${this.describe()}: ${(lastError as Error).message}`, { cause: lastError });
  }

  private async connectOnce(): Promise<Client> {
    const { node } = this;
    const config: ConnectConfig = {
      host: node.host,
      port: node.port,
      username: node.user,
      readyTimeout: this.connectTimeoutMs,
      keepaliveInterval: 5_000,
      keepaliveCountMax: 3,
    };
    if (node.privateKeyFile !== undefined) {
      try {
        config.privateKey = await readFile(node.privateKeyFile);
      } catch (err) {
        throw new Error(`cannot read private key ${node.privateKeyFile}: ${(err as Error).message}`, { cause: err });
      }
    }
    if (node.passphrase !== undefined) config.passphrase = node.passphrase.reveal();
    if (node.agent !== undefined) config.agent = node.agent;
    let seenFingerprint: string | undefined;
    if (node.hostKeyFingerprint !== undefined) {
      config.hostVerifier = (key: Buffer) => {
        seenFingerprint = fingerprint(key);
        return seenFingerprint === node.hostKeyFingerprint;
      };
    }
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (err: Error) => {
        if (seenFingerprint !== undefined && seenFingerprint !== node.hostKeyFingerprint) {
          reject(
            new Error(`host key ${seenFingerprint} does not match hostKeyFingerprint ${node.hostKeyFingerprint}`, {
              cause: err,
            }),
          );
        } else reject(err);
      });
      client.connect(config);
    });
    // From now on an error or close only marks the connection dead; the next run reconnects.
    client.on('error', (err: Error) => this.log.debug(`ssh ${this.describe()}: ${err.message}`));
    client.on('close', () => {
      if (this.client === client) this.client = undefined;
      if (!this.closed) this.log.debug(`ssh ${this.describe()}: connection closed`);
    });
    return client;
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.end();
  }

  private async acquire(): Promise<void> {
    if (this.open < MAX_CHANNELS) {
      this.open++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.open--;
  }
}

function collect(channel: ClientChannel, io: RunIo): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let exitCode: number | undefined;
    let signal: string | undefined;
    let timedOut = false;
    const timer =
      io.deadlineMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            channel.close();
          }, io.deadlineMs);
    if (io.stdout) channel.pipe(io.stdout);
    else channel.on('data', (chunk: Buffer) => stdout.push(chunk));
    channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    channel.on('exit', (code: number | null, sig?: string) => {
      exitCode = code ?? undefined;
      if (code === null && sig !== undefined) {
        signal = sig.startsWith('SIG') ? sig : `SIG${sig}`;
        exitCode = 128 + (SIGNALS[signal] ?? 0);
      }
    });
    channel.on('error', (err: Error) => {
      if (timer) clearTimeout(timer);
      reject(err);
    });
    channel.on('close', () => {
      if (timer) clearTimeout(timer);
      const done = () =>
        resolve({ exitCode, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), timedOut });
      // Let a piped stdout finish writing before reporting.
      if (io.stdout && !io.stdout.writableFinished) {
        io.stdout.once('finish', done).once('error', reject);
        if (!io.stdout.writableEnded) io.stdout.end();
      } else done();
    });
    const { stdin } = io;
    if (stdin === undefined) channel.end();
    else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) channel.end(stdin);
    else {
      stdin.on('error', (err) => {
        channel.close();
        reject(err);
      });
      stdin.pipe(channel);
    }
  });
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };
