/** Small helpers shared by the fault implementations. */
import type { Json } from '../harness/history/op.js';
import type { NemesisResult } from './nemesis.js';

/**
 * Runs `fn` for every node in parallel. Resolves with the results by node;
 * when any node fails, waits for all, then rejects with an Error naming every
 * failed node (the first failure as `cause`).
 */
export async function forEachNode<T>(
  nodes: readonly string[],
  fn: (node: string) => Promise<T>,
): Promise<Record<string, T>> {
  const settled = await Promise.allSettled(nodes.map(fn));
  const out: Record<string, T> = {};
  const failures: string[] = [];
  let firstError: unknown;
  settled.forEach((s, i) => {
    const node = nodes[i]!;
    if (s.status === 'fulfilled') out[node] = s.value;
    else {
      failures.push(`${node}: ${errorMessage(s.reason)}`);
      firstError ??= s.reason;
    }
  });
  if (failures.length > 0) throw new Error(failures.join('; '), { cause: firstError });
  return out;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs a nemesis operation. Resolves with its result; a thrown error becomes
 * a result with `error` (and `value` from `partial`, what is known to have
 * been done), so a failed fault is recorded in the history instead of
 * crashing the run.
 */
export async function attempt(fn: () => Promise<Json>, partial: () => Json = () => null): Promise<NemesisResult> {
  try {
    return { value: await fn() };
  } catch (err) {
    return { value: partial(), error: errorMessage(err) };
  }
}

/** The names of the cluster's nodes. */
export function names(nodes: readonly { name: string }[]): string[] {
  return nodes.map((n) => n.name);
}
