/**
 * The counter workload: clients increment counters by 1-3 and read them, on
 * independent keys (a fresh key after 100 ops), and the linearizability
 * checker judges each key with this project's counter model.
 *
 * - incr: invoke and ok value = the amount added.
 * - read: invoke value null; ok value = the count.
 */
import { defineWorkload, gen, linearizableChecker, registerModel } from 'faultline';
import counterModel from '../models/counter.js';

registerModel('counter', counterModel);

/** The keys 0, 1, 2, ... */
function* naturals(): Iterable<number> {
  for (let key = 0; ; key++) yield key;
}

/** The largest divisor of `concurrency` that is at most 3: the threads that share a key. */
function threadsPerKey(concurrency: number): number {
  for (let n = Math.min(3, concurrency); n > 1; n--) if (concurrency % n === 0) return n;
  return 1;
}

export default defineWorkload({
  name: 'counter',
  vocabulary: {
    incr: 'invoke and ok: the amount added (1-3)',
    read: 'invoke null; ok: the count',
  },
  generator: (options) =>
    gen.clients(
      gen.independentConcurrent({
        threadsPerKey: threadsPerKey(options.concurrency),
        keys: naturals(),
        opsPerKey: 100,
        fn: () => (_ctx, rng) => (rng.int(2) === 0 ? { f: 'read', value: null } : { f: 'incr', value: rng.int(3) + 1 }),
      }),
    ),
  finalGenerator: () => undefined,
  checker: () => linearizableChecker({ model: 'counter', initial: 0 }),
});
