/**
 * What the register and cas-register workloads share: ops on independent
 * keys (0, 1, 2, ...), each key worked on by a group of threads at a time,
 * a fresh key after opsPerKey ops, optionally paced to a rate.
 */

import type { Generator } from '../../harness/generator/index.js';
import * as gen from '../../harness/generator/index.js';
import { UserError } from '../../harness/history/errors.js';
import { paced } from '../pacing.js';
import type { WorkloadOptions } from '../workload.js';

/** Default ops per key: enough for interesting interleavings, small enough to check fast. */
export const DEFAULT_OPS_PER_KEY = 200;
/** Default cap on the threads sharing a key. */
export const MAX_DEFAULT_THREADS_PER_KEY = 5;

/**
 * Threads per key. With `keys` given: concurrency / keys (which must divide
 * evenly). Otherwise the largest divisor of the concurrency that is at most 5
 * (e.g. 10 threads: 2 keys of 5; 6 threads: 2 keys of 3; 4 threads: 1 key).
 * Throws UserError naming the option when the numbers do not fit.
 */
export function threadsPerKey(options: WorkloadOptions): number {
  const { concurrency, keys } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UserError(`must be a positive integer, got ${concurrency}`, { where: '--concurrency' });
  }
  if (keys !== undefined) {
    if (!Number.isInteger(keys) || keys < 1 || concurrency % keys !== 0) {
      throw new UserError(
        `must be a positive integer that divides --concurrency ${concurrency} (threads are split evenly over the keys), got ${keys}`,
        {
          where: 'test.workloadOptions.keys',
        },
      );
    }
    return concurrency / keys;
  }
  for (let n = Math.min(MAX_DEFAULT_THREADS_PER_KEY, concurrency); n > 1; n--) if (concurrency % n === 0) return n;
  return 1;
}

function opsPerKey(options: WorkloadOptions): number {
  const n = options.opsPerKey ?? DEFAULT_OPS_PER_KEY;
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`must be a positive integer, got ${n}`, { where: 'test.workloadOptions.opsPerKey' });
  return n;
}

/** The keys 0, 1, 2, ... without end. */
function* naturals(): Iterable<number> {
  for (let k = 0; ; k++) yield k;
}

/**
 * The client generator: `perKey(key)` makes the (endless) ops of one key;
 * every op carries its key. Throws UserError for bad options.
 */
export function independentKeys(options: WorkloadOptions, perKey: (key: number) => gen.GenLike): Generator {
  const keyed = gen.independentConcurrent({
    threadsPerKey: threadsPerKey(options),
    keys: naturals(),
    opsPerKey: opsPerKey(options),
    fn: (key) => perKey(key as number),
  });
  return gen.clients(paced(options, keyed));
}
