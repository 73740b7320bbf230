/**
 * Reading a transaction's micro-ops from an op value ([[f, k, v], ...]),
 * with integer keys as the transactional workloads make them.
 */
export type MicroOp = [f: string, key: number, value: unknown];

/** The micro-ops of `value`, or a reason they are malformed. */
export function microOps(value: unknown): MicroOp[] | string {
  if (!Array.isArray(value)) return `expected a list of micro-ops, got ${JSON.stringify(value)}`;
  for (const mop of value) {
    if (!Array.isArray(mop) || mop.length !== 3 || typeof mop[0] !== 'string' || !Number.isSafeInteger(mop[1])) {
      return `expected [f, integer key, value], got ${JSON.stringify(mop)}`;
    }
  }
  return value as MicroOp[];
}
