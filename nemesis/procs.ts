/**
 * The processes of a node, for checking that a kill or pause took effect and
 * for resuming paused processes after a controller crash.
 *
 * "The node's processes" are those in the same network namespace as a shell
 * run on the node (netns and docker nodes have their own; an ssh node's is
 * the host's), minus that shell and its ancestors.
 */
import type { NodeExec } from './node-shell.js';
import { sh } from './node-shell.js';

export interface ProcState {
  pid: number;
  /** The state letter of /proc/PID/stat: R, S, D, T (stopped), Z, ... */
  state: string;
  /** The process group. A daemon started with setsid leads its own: pgid === pid. */
  pgid: number;
}

// Prints "PID STATE PGID" for each process in this shell's network namespace, skipping
// the shell and its ancestors (the exec machinery). Only builtins in the loop, so
// the listing sees no helper processes of its own.
const LIST = `self=$$
skip=" "; p=$self
while [ -n "$p" ] && [ "$p" != 0 ]; do
  skip="$skip$p "
  { read -r line < "/proc/$p/stat"; } 2>/dev/null || break
  rest=\${line##*) }; set -- $rest; p=$2
done
for d in /proc/[0-9]*; do
  pid=\${d#/proc/}
  case "$skip" in *" $pid "*) continue;; esac
  [ "$d/ns/net" -ef "/proc/$self/ns/net" ] || continue
  { read -r line < "$d/stat"; } 2>/dev/null || continue
  rest=\${line##*) }; set -- $rest
  echo "$pid $1 $3"
done`;

/** Parses the LIST output (pure; exported for tests). Ignores malformed lines. */
export function parseProcList(text: string): ProcState[] {
  const out: ProcState[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\d+) (\S) (\d+)$/.exec(line.trim());
    if (m) out.push({ pid: Number(m[1]), state: m[2]!, pgid: Number(m[3]) });
  }
  return out;
}

/** The node's processes and their states. Rejects with RuntimeCommandError when the listing fails. */
export async function listProcesses(runtime: NodeExec, node: string): Promise<ProcState[]> {
  return parseProcList((await sh(runtime, node, LIST)).stdout);
}

/** Pids that are stopped (state T) in `after` but were not stopped in `before`. */
export function newlyStopped(before: readonly ProcState[], after: readonly ProcState[]): number[] {
  const wasStopped = new Set(before.filter((p) => p.state === 'T').map((p) => p.pid));
  return after.filter((p) => p.state === 'T' && !wasStopped.has(p.pid)).map((p) => p.pid);
}

/**
 * The processes of the groups whose leader ended between `before` and `after`
 * (alive, not zombie, in `before`; gone or zombie in `after`), leaders included.
 * A SIGKILL of a daemon ends its group's leader (daemons are started with
 * setsid); a command that merely finishes meanwhile leads no group of the
 * node's, or its group lives on, so it does not count.
 */
export function ended(before: readonly ProcState[], after: readonly ProcState[]): number[] {
  const isAlive = (p: ProcState) => p.state !== 'Z' && p.state !== 'X';
  const alive = new Set(after.filter(isAlive).map((p) => p.pid));
  const gone = before.filter((p) => isAlive(p) && !alive.has(p.pid));
  const endedGroups = new Set(gone.filter((p) => p.pgid === p.pid).map((p) => p.pid));
  return gone.filter((p) => endedGroups.has(p.pgid)).map((p) => p.pid);
}

/**
 * Sends SIGCONT to `pids` on the node (never to anything else). Processes that
 * no longer exist are skipped. Resolves with the pids signalled.
 */
export async function resumeProcesses(runtime: NodeExec, node: string, pids: readonly number[]): Promise<number[]> {
  if (pids.length === 0) return [];
  const { stdout } = await sh(
    runtime,
    node,
    'for p in "$@"; do kill -s CONT "$p" 2>/dev/null && echo "$p"; done; true',
    pids.map(String),
  );
  return stdout
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
}

/**
 * Lists the node's processes until `changed(listing)` is non-empty (a signal
 * takes effect asynchronously), at most `attempts` times, 50 ms apart.
 * Resolves with the last result of `changed` (empty when nothing changed).
 */
export async function awaitChange(
  runtime: NodeExec,
  node: string,
  changed: (after: ProcState[]) => number[],
  attempts = 20,
): Promise<number[]> {
  let result: number[] = [];
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 50));
    result = changed(await listProcesses(runtime, node));
    if (result.length > 0) break;
  }
  return result;
}
