/**
 * The helper's lifecycle on a node: the userspace packet scheduler
 * (helper/faultline-delay.c) runs as a daemon inside the node (its network
 * namespace or container, or on the ssh host), bound to DELAY_QUEUE.
 *
 * - helperBinary: the static binary on the controller, built by
 *   helper/build.sh into <repo>/build/ (git-ignored) when missing or older
 *   than its source; scripts/setup.sh builds it up front.
 * - installHelper: copies it into the node's directory (every runtime has copyTo).
 * - startHelper: starts it with the runtime's startDaemon and waits until the
 *   kernel lists our queue as bound (/proc/net/netfilter/nfnetlink_queue).
 * - stopHelper: stops it (SIGTERM releases every held packet; SIGKILL after a
 *   grace period), checks that no process and no queue binding is left, and
 *   returns the counts it printed on exit.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../harness/errors.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { sh } from '../node-shell.js';
import { DELAY_QUEUE } from './rules.js';

export const HELPER_DAEMON = 'faultline-delay';
const BUILD_SCRIPT = fileURLToPath(new URL('./helper/build.sh', import.meta.url));
const STOP_GRACE_MS = 2_000;

type HelperRuntime = Pick<Runtime, 'exec' | 'nodeDir' | 'copyTo' | 'startDaemon' | 'stopDaemon' | 'daemonRunning'>;

let built: string | undefined;

/**
 * The helper binary on this machine, built first if missing or out of date.
 * Throws UserError when it cannot be built (gcc or libc6-dev missing).
 */
export function helperBinary(): string {
  if (built !== undefined) return built;
  try {
    built = execFileSync('sh', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new UserError(
      `the delay fault needs its helper, which did not build (run scripts/setup.sh, it installs gcc and libc6-dev): ${stderr}`,
      { where: BUILD_SCRIPT, cause: err },
    );
  }
  return built;
}

/** Where the helper and its files live on a node. */
export function helperPaths(runtime: Pick<Runtime, 'nodeDir'>, node: string) {
  const dir = runtime.nodeDir(node);
  return { binary: `${dir}/${HELPER_DAEMON}`, log: `${dir}/${HELPER_DAEMON}.log`, pid: `${dir}/${HELPER_DAEMON}.pid` };
}

// $1 = the copied file, $2 = the binary: a rename, so a running helper's binary is never written over.
const PLACE = 'chmod 755 "$1" && mv -f "$1" "$2"';

/** Copies the helper binary onto `node`; resolves with its path there. */
export async function installHelper(runtime: HelperRuntime, node: string): Promise<string> {
  const { binary } = helperPaths(runtime, node);
  const copied = `${binary}.${process.pid}.new`;
  await runtime.copyTo(node, helperBinary(), copied);
  await sh(runtime, node, PLACE, [copied, binary]);
  return binary;
}

// The process in the pid file exists and is not a zombie (as harness/runtime/daemon.ts checks).
const ALIVE = `alive() { [ -r "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" | grep -q '^[ZX]'; }`;
const BOUND = `bound() { grep -Eq "^ *$1 " /proc/net/netfilter/nfnetlink_queue 2>/dev/null; }`;
// The helpers in this node's network namespace, by process name, whatever started them. Works where the node
// shares the host's PID namespace (netns: other clusters' helpers are told apart by their namespace) and in
// containers and on ssh hosts.
const PIDS = `pids() { me=$(readlink /proc/self/ns/net)
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = ${HELPER_DAEMON} ] && [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$me" ] && echo "\${d#/proc/}"
  done; true; }`;

// $1 = log, $2 = queue, $3 = pid file. Waits up to 5 s for the ready line and the kernel's queue binding.
const WAIT_READY = `${ALIVE}
${BOUND}
log=$1 q=$2 pidfile=$3 i=0
while [ "$i" -lt 100 ]; do
  if grep -Eq "^ready queue=$q( |$)" "$log" 2>/dev/null && bound "$q"; then exit 0; fi
  pid=$(cat "$pidfile" 2>/dev/null)
  if [ -n "$pid" ] && ! alive "$pid"; then echo "the helper exited: $(tail -n 3 "$log")" >&2; exit 1; fi
  sleep 0.05; i=$((i+1))
done
echo "the helper did not bind queue $q within 5 s: $(tail -n 3 "$log")" >&2; exit 1`;

/**
 * Starts the helper on `node` with `args` (see options.ts helperArgs), after
 * stopping one that may still run there, and resolves with its pid once the
 * kernel lists the queue as bound. Rejects with an Error naming the last
 * lines of its log when it exits or does not bind within 5 s (after stopping
 * it), or with RuntimeCommandError when the node cannot run it.
 */
export async function startHelper(runtime: HelperRuntime, node: string, args: readonly string[]): Promise<number> {
  const paths = helperPaths(runtime, node);
  await stopHelper(runtime, node);
  await sh(runtime, node, ': > "$1"', [paths.log]);
  const { pid } = await runtime.startDaemon(node, {
    name: HELPER_DAEMON,
    argv: [paths.binary, ...args],
    logFile: paths.log,
    pidFile: paths.pid,
  });
  const ready = await sh(runtime, node, WAIT_READY, [paths.log, String(DELAY_QUEUE), paths.pid], { check: false });
  if (ready.exitCode !== 0) {
    await stopHelper(runtime, node).catch(() => undefined);
    throw new Error(`on ${node}: the delay helper did not start: ${ready.stderr.trim() || ready.stdout.trim()}`);
  }
  return pid;
}

/**
 * What the helper counted (its "stats" line: received, released, reordered, duplicated, dropped, ...) and
 * what the kernel counted for its queue (kernel_queue_dropped, kernel_user_dropped).
 */
export type HelperStats = Record<string, number>;

/** The counts of a "stats k=v ..." line (pure; exported for tests). */
export function parseStats(line: string): HelperStats {
  const stats: HelperStats = {};
  for (const word of line.trim().split(/\s+/).slice(1)) {
    const [k, v] = word.split('=');
    if (k && v !== undefined && /^\d+$/.test(v)) stats[k] = Number(v);
  }
  return stats;
}

// $1 = queue. Ends helpers the pid file does not name (e.g. its file was lost): SIGTERM, then SIGKILL after 2 s.
// Then exit 0 when neither a helper process nor a binding of the queue is left (waits up to 2 s more).
const SWEEP_AND_CHECK = `${ALIVE}
${BOUND}
${PIDS}
stray=$(pids)
if [ -n "$stray" ]; then
  kill -s TERM $stray 2>/dev/null; i=0
  while [ -n "$(pids)" ] && [ "$i" -lt 40 ]; do sleep 0.05; i=$((i+1)); done
  left=$(pids); [ -n "$left" ] && kill -s KILL $left 2>/dev/null
fi
i=0
while [ "$i" -lt 40 ]; do
  if ! bound "$1" && [ -z "$(pids)" ]; then exit 0; fi
  sleep 0.05; i=$((i+1))
done
left=$(pids)
if [ -n "$left" ]; then echo "helper process(es) $left still running after SIGKILL" >&2
else echo "queue $1 is still bound: another process holds it (not a faultline-delay helper)" >&2; fi
exit 1`;

/**
 * Stops the helper on `node` (fine when none runs), checks that no helper
 * process and no binding of our queue is left, and resolves with the counts
 * it printed on exit (undefined when none was running, or it printed none
 * because it had to be killed). Rejects when something is left.
 */
export async function stopHelper(runtime: HelperRuntime, node: string): Promise<HelperStats | undefined> {
  const paths = helperPaths(runtime, node);
  const wasRunning = await runtime.daemonRunning(node, HELPER_DAEMON);
  // The kernel's own counts for the queue, before the helper's exit unbinds it: packets it dropped because
  // the queue was full, or because the helper's socket could not take them.
  const queue = await sh(runtime, node, `grep -E "^ *$1 " /proc/net/netfilter/nfnetlink_queue; true`, [
    String(DELAY_QUEUE),
  ]);
  const fields = queue.stdout.trim().split(/\s+/);
  await runtime.stopDaemon(node, HELPER_DAEMON, STOP_GRACE_MS);
  const gone = await sh(runtime, node, SWEEP_AND_CHECK, [String(DELAY_QUEUE)], { check: false });
  if (gone.exitCode !== 0) throw new Error(`on ${node}: stopping the delay helper: ${gone.stderr.trim()}`);
  if (!wasRunning) return undefined;
  const { stdout } = await sh(runtime, node, `[ -r "$1" ] && grep '^stats ' "$1" | tail -n 1; true`, [paths.log]);
  if (stdout.trim() === '') return undefined;
  const stats = parseStats(stdout);
  if (fields.length >= 7) {
    stats.kernel_queue_dropped = Number(fields[5]);
    stats.kernel_user_dropped = Number(fields[6]);
  }
  return stats;
}

/**
 * Whether the daemon of that name runs on `node` (its pid file), the pids of
 * every helper process in the node's network namespace, and whether the
 * kernel lists our queue as bound there.
 */
export async function helperState(
  runtime: HelperRuntime,
  node: string,
): Promise<{ running: boolean; pids: number[]; queueBound: boolean }> {
  const running = await runtime.daemonRunning(node, HELPER_DAEMON);
  const { stdout } = await sh(runtime, node, `${BOUND}\n${PIDS}\npids; bound "$1" && echo bound; true`, [
    String(DELAY_QUEUE),
  ]);
  const lines = stdout.trim().split('\n').filter(Boolean);
  return {
    running,
    pids: lines.filter((l) => /^\d+$/.test(l)).map(Number),
    queueBound: lines.includes('bound'),
  };
}
