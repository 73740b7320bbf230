/**
 * Runs one command in a container through docker's exec API: stdout and stderr
 * demultiplexed, stdin written then closed, env and cwd passed, exit code read
 * with an exec inspect, and a timeout that kills the command's process group.
 */
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type Docker from 'dockerode';
import type { ExecOptions, ExecResult } from '../runtime.js';
import { RuntimeCommandError } from '../runtime.js';

/**
 * Runs argv in the container. Resolves with the result; throws
 * RuntimeCommandError on a non-zero exit or a timeout unless `check` is false,
 * and on docker API failures (with the API error as cause).
 *
 * Timeout: a docker exec has no kill call. The exec'd process is the leader of
 * its own session and process group (runc makes it so), and `inspect().Pid` is
 * its pid as the host sees it, so the timeout sends SIGKILL to that group from
 * the host (we are root on the docker host). Daemons that called setsid are in
 * other groups and survive, as they should.
 */
export async function dockerExec(
  docker: Docker,
  container: Docker.Container,
  node: string,
  argv: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  if (argv.length === 0) throw new Error(`exec on ${node}: empty argv`);
  const check = options.check ?? true;
  const hasStdin = options.stdin !== undefined;
  let exec: Docker.Exec;
  let stream: NodeJS.ReadWriteStream;
  try {
    exec = await container.exec({
      Cmd: argv,
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(options.cwd !== undefined ? { WorkingDir: options.cwd } : {}),
      AttachStdin: hasStdin,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
    });
    stream = (await exec.start({ hijack: true, stdin: hasStdin })) as NodeJS.ReadWriteStream;
  } catch (error) {
    throw new RuntimeCommandError(node, argv, { stderr: `docker exec failed: ${(error as Error).message}` }, error);
  }

  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const out = new PassThrough().on('data', (c: Buffer) => stdout.push(c));
  const err = new PassThrough().on('data', (c: Buffer) => stderr.push(c));
  docker.modem.demuxStream(stream, out, err);

  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  if (options.timeoutMs !== undefined) {
    timer = setTimeout(() => {
      timedOut = true;
      void killExec(exec).catch(() => (stream as unknown as { destroy?: () => void }).destroy?.());
    }, options.timeoutMs);
  }

  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', (error: Error) => (timedOut ? resolve() : reject(error)));
  });
  if (options.stdin !== undefined) {
    // Ending the hijacked connection half-closes it: the command sees end of input.
    stream.end(typeof options.stdin === 'string' ? Buffer.from(options.stdin) : options.stdin);
  }
  try {
    await ended;
  } catch (error) {
    throw new RuntimeCommandError(
      node,
      argv,
      { stderr: `docker exec stream failed: ${(error as Error).message}` },
      error,
    );
  } finally {
    clearTimeout(timer);
  }
  // Everything demultiplexed so far has reached our buffers once both sides end.
  out.end();
  err.end();
  await Promise.all([finished(out), finished(err)]);

  const result = normaliseStartFailure({
    exitCode: await exitCodeOf(exec),
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8'),
    timedOut,
    // Docker reports a command killed by a signal as exit 128+n, like a shell;
    // only our own timeout kill is known for certain to be a signal.
    signal: timedOut ? 'SIGKILL' : undefined,
  });
  const { exitCode } = result;
  if (check && (timedOut || exitCode !== 0)) throw new RuntimeCommandError(node, argv, result);
  return result;
}

/** SIGKILL to the exec'd process group, seen from the host. */
async function killExec(exec: Docker.Exec): Promise<void> {
  const info = await exec.inspect();
  const pid = info.Pid;
  if (!info.Running || !pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL');
  }
}

/** The exit code once docker has recorded it (the stream can end a moment before). */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode;
    if (attempt >= 200) return -1; // ~10 s: report an unknown exit rather than hang
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * When the command cannot start at all (missing binary, bad cwd), docker writes
 * "OCI runtime exec failed: ..." to stdout and exits 126. Move the message to
 * stderr and use the shell's codes: 127 for a command not found, 126 otherwise.
 */
export function normaliseStartFailure(result: ExecResult): ExecResult {
  if (result.exitCode !== 126 || !result.stdout.startsWith('OCI runtime exec failed')) return result;
  const message = result.stdout.trim();
  const notFound = /executable file not found|no such file or directory/.test(message) && !message.includes('chdir');
  return { ...result, exitCode: notFound ? 127 : 126, stdout: '', stderr: `${result.stderr}${message}\n` };
}
