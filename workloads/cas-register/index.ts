/**
 * The cas-register workload: reads, writes and compare-and-set of small
 * integers on independent keys, checked for linearizability key by key
 * (model "cas-register").
 *
 * - read:  invoke value null; ok value = what was read (null for a key never written).
 * - write: invoke and ok value = the integer written (0-4).
 * - cas:   invoke and ok value = [old, new]; fail when the register did not hold old.
 *
 * The register starts out null, like a missing key.
 */
import { linearizableChecker } from '../../checkers/linearizable/index.js';
import { independentKeys } from '../register/independent.js';
import { VALUES } from '../register/index.js';
import type { Workload } from '../workload.js';

export const casRegisterWorkload: Workload = {
  name: 'cas-register',
  vocabulary: {
    read: 'invoke null; ok: the value read (an integer, or null if never written)',
    write: 'invoke and ok: the integer written',
    cas: 'invoke and ok: [old, new]; fail when the register did not hold old',
  },
  generator(options) {
    return independentKeys(options, () => (_ctx, rng) => {
      switch (rng.int(3)) {
        case 0:
          return { f: 'read', value: null };
        case 1:
          return { f: 'write', value: rng.int(VALUES) };
        default:
          return { f: 'cas', value: [rng.int(VALUES), rng.int(VALUES)] };
      }
    });
  },
  finalGenerator() {
    return undefined;
  },
  checker() {
    return linearizableChecker({ model: 'cas-register', initial: null });
  },
};
