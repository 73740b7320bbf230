/**
 * Daemons on a node, built only on a runtime's `exec` and a POSIX shell, so
 * netns, docker and ssh share one implementation (like Jepsen's start-daemon).
 *
 * - start: `setsid PROGRAM >>log 2>&1 </dev/null &`, the pid goes to the pid
 *   file. setsid makes the daemon the leader of its own process group, so
 *   signals go to the whole group (a wrapper shell and what it started).
 * - running: the pid file names a process that exists and is not a zombie
 *   (state from /proc/PID/stat). A paused process (state T) counts as running.
 * - stop: SIGCONT first (a paused process cannot act on SIGTERM), SIGTERM,
 *   wait up to the grace period, then SIGKILL.
 *
 * Usage in a runtime: `private daemons = new Daemons((n, argv, o) => this.exec(n, argv, o), (n) => this.nodeDir(n))`
 * and delegate startDaemon/signalDaemon/stopDaemon/daemonRunning/daemonPid to it.
 */
import type { DaemonSpec, ExecOptions, ExecResult, Signal } from './runtime.js';
import { RuntimeCommandError } from './runtime.js';

export type ExecFn = (node: string, argv: string[], options?: ExecOptions) => Promise<ExecResult>;

/** Default grace period between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 5_000;

// `alive PID`: the process exists and is not a zombie. The state is the first
// field after the last ") " of /proc/PID/stat (the command name may hold spaces).
// The file is read once: testing for it and then reading it would race with
// the process being reaped in between (the read finds nothing, which looked alive).
export const ALIVE = `alive() {
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=\${s##*) }
  case $s in ''|Z*|X*) return 1;; esac
}`;
// `sig NAME PID`: signal the process group, or just the process if it has no group of its own.
const SIG = `sig() { kill -s "$1" -- "-$2" 2>/dev/null || kill -s "$1" "$2" 2>/dev/null; }`;

const START_SCRIPT = `${ALIVE}
pidfile=$1 logfile=$2 dir=$3; shift 3
mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")" || exit 1
if [ -s "$pidfile" ] && alive "$(cat "$pidfile")"; then
  echo "already running with pid $(cat "$pidfile") (pid file $pidfile)" >&2; exit 3
fi
if [ -n "$dir" ]; then cd "$dir" || exit 1; fi
command -v "$1" >/dev/null 2>&1 || { echo "command not found: $1" >&2; exit 127; }
setsid "$@" >>"$logfile" 2>&1 </dev/null &
echo $! >"$pidfile"
echo $!`;

const SIGNAL_SCRIPT = `${ALIVE}
${SIG}
pidfile=$1 signal=$2
[ -s "$pidfile" ] || { echo "not running: no pid file $pidfile" >&2; exit 3; }
pid=$(cat "$pidfile")
alive "$pid" || { echo "not running: pid $pid from $pidfile is gone" >&2; exit 3; }
sig "$signal" "$pid" || { echo "kill -s $signal $pid failed" >&2; exit 1; }`;

const STOP_SCRIPT = `${ALIVE}
${SIG}
pidfile=$1 tenths=$2
[ -s "$pidfile" ] || exit 0
pid=$(cat "$pidfile")
if alive "$pid"; then
  sig CONT "$pid"; sig TERM "$pid"
  i=0; while alive "$pid" && [ "$i" -lt "$tenths" ]; do sleep 0.1; i=$((i+1)); done
  alive "$pid" && sig KILL "$pid"
  # Only a process still alive at the last look after 10 s survived; one gone meanwhile did not.
  i=0; while alive "$pid"; do
    [ "$i" -ge 100 ] && { echo "pid $pid survived SIGKILL" >&2; exit 4; }
    sleep 0.1; i=$((i+1))
  done
fi
# Sweep what is left of its process group (children that ignored SIGTERM).
kill -s KILL -- "-$pid" 2>/dev/null
rm -f "$pidfile"`;

const STATUS_SCRIPT = `${ALIVE}
[ -s "$1" ] || exit 0
pid=$(cat "$1")
if alive "$pid"; then echo "$pid alive"; else echo "$pid dead"; fi`;

const NAME = /^[A-Za-z0-9_.-]+$/;

/** Starts, signals and stops named daemons on the nodes of one runtime. */
export class Daemons {
  /** Pid and log files of the daemons started through this object, by node and name. */
  private readonly known = new Map<string, { node: string; name: string; pidFile: string }>();

  constructor(
    private readonly exec: ExecFn,
    private readonly nodeDir: (node: string) => string,
  ) {}

  /**
   * Starts the daemon and resolves with its pid once the pid file is written.
   * Throws RuntimeCommandError when it already runs (exit 3), when argv[0] is
   * not found on the node (exit 127), or when the shell fails otherwise.
   */
  async start(node: string, spec: DaemonSpec): Promise<{ pid: number }> {
    if (!NAME.test(spec.name)) throw new Error(`daemon name ${JSON.stringify(spec.name)} must match ${NAME}`);
    if (spec.argv.length === 0) throw new Error(`daemon ${spec.name}: empty argv`);
    const dir = this.nodeDir(node);
    const pidFile = spec.pidFile ?? `${dir}/${spec.name}.pid`;
    const logFile = spec.logFile ?? `${dir}/${spec.name}.log`;
    const argv = ['sh', '-c', START_SCRIPT, 'sh', pidFile, logFile, spec.cwd ?? '', ...spec.argv];
    const result = await this.exec(node, argv, { env: spec.env ?? {}, check: true });
    const pid = Number.parseInt(result.stdout.trim(), 10);
    if (!Number.isInteger(pid) || pid <= 0) {
      throw new RuntimeCommandError(node, spec.argv, {
        exitCode: result.exitCode,
        stderr: `no pid printed: ${result.stdout}`,
      });
    }
    this.known.set(key(node, spec.name), { node, name: spec.name, pidFile });
    return { pid };
  }

  /**
   * Sends a signal to the daemon's process group.
   * Throws RuntimeCommandError (exit 3) when the daemon is not running.
   */
  async signal(node: string, name: string, signal: Signal): Promise<void> {
    await this.exec(node, ['sh', '-c', SIGNAL_SCRIPT, 'sh', this.pidFile(node, name), signal.replace(/^SIG/, '')], {
      check: true,
    });
  }

  /**
   * Stops the daemon: SIGCONT, SIGTERM, SIGKILL after graceMs, then removes the pid file.
   * Resolves without doing anything when it is not running. Throws
   * RuntimeCommandError only when the process survives SIGKILL for 10 s.
   */
  async stop(node: string, name: string, graceMs: number = DEFAULT_STOP_GRACE_MS): Promise<void> {
    const tenths = String(Math.max(0, Math.ceil(graceMs / 100)));
    await this.exec(node, ['sh', '-c', STOP_SCRIPT, 'sh', this.pidFile(node, name), tenths], {
      check: true,
      timeoutMs: graceMs + 30_000,
    });
  }

  /** True when the pid file names a live process (paused counts); false otherwise. */
  async running(node: string, name: string): Promise<boolean> {
    return (await this.status(node, name)).alive;
  }

  /** The pid of the running daemon; undefined when it is not running or never started. */
  async pid(node: string, name: string): Promise<number | undefined> {
    const status = await this.status(node, name);
    return status.alive ? status.pid : undefined;
  }

  /** The daemons started through this object (they may have stopped since). */
  started(): Array<{ node: string; name: string }> {
    return [...this.known.values()].map(({ node, name }) => ({ node, name }));
  }

  /** Stops every daemon started through this object; collects failures into one error. */
  async stopAll(graceMs: number = DEFAULT_STOP_GRACE_MS): Promise<void> {
    const results = await Promise.allSettled(this.started().map(({ node, name }) => this.stop(node, name, graceMs)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length > 0) throw new AggregateError(failures, `could not stop ${failures.length} daemon(s)`);
  }

  private async status(node: string, name: string): Promise<{ pid: number | undefined; alive: boolean }> {
    const result = await this.exec(node, ['sh', '-c', STATUS_SCRIPT, 'sh', this.pidFile(node, name)], { check: true });
    const [pidText, state] = result.stdout.trim().split(' ');
    const pid = pidText ? Number.parseInt(pidText, 10) : Number.NaN;
    return { pid: Number.isInteger(pid) ? pid : undefined, alive: state === 'alive' };
  }

  private pidFile(node: string, name: string): string {
    if (!NAME.test(name)) throw new Error(`daemon name ${JSON.stringify(name)} must match ${NAME}`);
    return this.known.get(key(node, name))?.pidFile ?? `${this.nodeDir(node)}/${name}.pid`;
  }
}

function key(node: string, name: string): string {
  return `${node}\u0000${name}`;
}
