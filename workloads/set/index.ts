/**
 * The set workload (Jepsen's set-full): clients add unique integers
 * 0, 1, 2, ... and now and then read the whole set; after the faults are
 * healed, every client thread reads it once more. The set checker
 * (checkers/set) reports lost, unexpected, stale and never-read elements.
 *
 * - add:  invoke and ok value = the element (unique across the whole run).
 * - read: invoke value null; ok value = the elements, an array.
 */
import { setChecker } from '../../checkers/set/index.js';
import type { Generator } from '../../harness/generator/index.js';
import * as gen from '../../harness/generator/index.js';
import { paced } from '../pacing.js';
import type { Workload } from '../workload.js';

/** One op in this many is a read during the main phase. */
export const READ_EVERY = 10;

/**
 * Adds of next, next + 1, ... with a read in about one op of READ_EVERY.
 * A pure value: the counter lives in the generator, not in a closure, so the
 * same seed gives the same schedule.
 */
function addsAndReads(next: number): Generator {
  const self: Generator = {
    op(ctx) {
      if (ctx.freeThreads.length === 0) return gen.pending(self);
      const read = ctx.rng.int(READ_EVERY) === 0;
      const op = gen.fillOp(ctx, read ? { f: 'read', value: null } : { f: 'add', value: next });
      if (!op) return gen.pending(self);
      return gen.opStep(op, read ? self : addsAndReads(next + 1));
    },
    update: () => self,
  };
  return self;
}

export const setWorkload: Workload = {
  name: 'set',
  vocabulary: {
    add: 'invoke and ok: the element added (a unique integer)',
    read: 'invoke null; ok: every element in the set, an array',
  },
  generator(options) {
    return gen.clients(paced(options, addsAndReads(0)));
  },
  finalGenerator() {
    return gen.clients(gen.eachThread({ f: 'read', value: null }));
  },
  checker(options) {
    return setChecker({ linearizable: options.linearizableReads ?? false });
  },
};
