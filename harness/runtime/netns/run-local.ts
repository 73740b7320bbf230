/**
 * Runs a program on the controller host and collects its output. Used by the
 * netns runtime (`ip ...`, `ip netns exec ...`) and by `faultline clean`.
 *
 * The child is made the leader of its own process group so that a timeout
 * kills the whole group (a shell and everything it started), not just the
 * first process. Daemons escape this on purpose: they call setsid.
 */
import { spawn } from 'node:child_process';
import type { ExecResult } from '../runtime.js';

export interface LocalRunOptions {
  env?: Record<string, string>;
  stdin?: string | Buffer;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Runs argv and resolves with its exit code, output and whether it timed out.
 * Never rejects for a non-zero exit; rejects only when the program cannot be
 * started at all (e.g. ENOENT), with the spawn error as `cause`.
 * A command killed by a signal has exitCode 128 + signal number, as a shell reports it.
 */
export function runLocal(argv: readonly string[], options: LocalRunOptions = {}): Promise<ExecResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('runLocal: empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A command that does not read its stdin closes the pipe early: not an error.
    child.stdin.on('error', () => {});
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run \`${argv.join(' ')}\`: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({
        exitCode: code ?? 128 + signalNumber(signal),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        signal: signal ?? undefined,
      });
    });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, options.timeoutMs);
    }
    child.stdin.end(options.stdin ?? '');
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

const signalNumbers: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal ? (signalNumbers[signal] ?? 0) : 0;
}
