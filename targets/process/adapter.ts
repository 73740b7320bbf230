/**
 * One client adapter process: the user's client command, started on the
 * controller with `sh -c`, in its own process group (so that killing it
 * kills what it started), speaking the protocol of ./protocol.ts on its
 * stdin and stdout. Its stderr goes to the log, and its last lines are kept
 * for the message when it dies.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import type { Logger } from '../../harness/log.js';
import { MAX_LINE_BYTES } from './protocol.js';

/** What the adapter did next: wrote a line, or exited (or could not start). */
export type AdapterEvent = { kind: 'line'; line: string } | { kind: 'exited'; reason: string };

const STDERR_LINES_KEPT = 5;

export class Adapter {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private readonly lines: string[] = [];
  private exitReason: string | undefined;
  private waiter: ((event: AdapterEvent) => void) | undefined;
  private readonly stderrTail: string[] = [];

  /** Starts `command` (sh -c) in `cwd` with `env` over this process's environment. */
  constructor(command: string, options: { cwd: string; env: Record<string, string>; log: Logger; label: string }) {
    this.child = spawn('sh', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    let partial = '';
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        options.log.debug(`${options.label}: ${line}`);
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
      }
    });
    // A write to an adapter that has exited fails with EPIPE: the exit itself is reported.
    this.child.stdin.on('error', () => {});
    this.child.once('error', (err) => this.exited(`could not start: ${err.message}`));
    // 'close': exited, and its output read to the end (a last line written just before exiting counts).
    this.child.once('close', (code, signal) => {
      this.exited(signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`);
    });
  }

  /** Resolves once the process is running; rejects when it could not be started. */
  started(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.exitReason !== undefined) return reject(new Error(`client adapter ${this.exitReason}`));
      if (this.child.pid !== undefined) return resolve();
      this.child.once('spawn', () => resolve());
      this.child.once('error', (err) => reject(new Error(`client adapter could not start: ${err.message}`)));
    });
  }

  /** Writes one line to the adapter's stdin. */
  send(line: string): void {
    if (this.exitReason === undefined) this.child.stdin.write(`${line}\n`);
  }

  /** The next line the adapter writes (or has written), or its exit. */
  next(): Promise<AdapterEvent> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve({ kind: 'line', line });
    if (this.exitReason !== undefined) return Promise.resolve({ kind: 'exited', reason: this.describeExit() });
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Closes its stdin (the adapter should exit at end of input); SIGKILLs its process group after `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (this.exitReason !== undefined) return;
    const gone = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    const timer = setTimeout(() => this.kill(), graceMs);
    await gone;
    clearTimeout(timer);
    this.kill(); // what it started, should anything outlive it
  }

  /** SIGKILLs its whole process group now. */
  kill(): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      this.deliver({ kind: 'line', line: this.buffer.slice(0, newline).replace(/\r$/, '') });
      this.buffer = this.buffer.slice(newline + 1);
      newline = this.buffer.indexOf('\n');
    }
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.deliver({ kind: 'line', line: this.buffer.slice(0, 1000) });
      this.buffer = '';
    }
  }

  private deliver(event: { kind: 'line'; line: string }): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter) waiter(event);
    else this.lines.push(event.line);
  }

  private exited(reason: string): void {
    if (this.exitReason !== undefined) return;
    this.exitReason = reason;
    this.kill(); // its children too
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ kind: 'exited', reason: this.describeExit() });
  }

  private describeExit(): string {
    const tail = this.stderrTail.join(' | ').trim();
    return `client adapter ${this.exitReason}${tail ? ` (stderr: ${tail.slice(-500)})` : ''}`;
  }
}
