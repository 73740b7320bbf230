/**
 * Runs a POSIX shell script on a node through the Runtime. Every fault is
 * carried out this way, so one implementation serves netns, docker and ssh.
 */
import type { ExecOptions, ExecResult, Runtime } from '../harness/runtime/runtime.js';

/** The part of a Runtime the faults need: running commands on nodes. */
export type NodeExec = Pick<Runtime, 'exec'>;

/**
 * Runs `script` with `sh -c` on the node; `args` become $1, $2, ...
 * Resolves with the result; rejects with RuntimeCommandError on a non-zero
 * exit unless `options.check` is false.
 */
export function sh(
  runtime: NodeExec,
  node: string,
  script: string,
  args: readonly string[] = [],
  options: ExecOptions = {},
): Promise<ExecResult> {
  return runtime.exec(node, ['sh', '-c', script, 'sh', ...args], { timeoutMs: 30_000, ...options });
}
