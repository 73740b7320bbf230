/**
 * Jepsen's `--concurrency 3n`: a multiple of the node count, resolved once
 * the node count is known (plannedNodeCount). A plain number is left for the
 * config schema to judge, so its messages stay the same everywhere.
 */
import { UserError } from '../errors.js';

const PER_NODE = /^\s*(\d+)\s*n\s*$/i;

/** True for text like "3n". */
export function isPerNodeConcurrency(value: unknown): value is string {
  return typeof value === 'string' && PER_NODE.test(value);
}

/**
 * `value` with "Kn" replaced by K × nodeCount; anything else as it is.
 * Throws UserError naming `where` for "0n".
 */
export function resolveConcurrency<T>(value: T | string, nodeCount: number, where: string): T | string | number {
  if (!isPerNodeConcurrency(value)) return value;
  const perNode = Number(PER_NODE.exec(value)![1]);
  if (perNode < 1) {
    throw new UserError(`expected a positive multiple of the node count like 3n, got ${JSON.stringify(value)}`, {
      where,
    });
  }
  return perNode * nodeCount;
}
