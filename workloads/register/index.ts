/**
 * The register workload: reads and writes of small integers on independent
 * keys, checked for linearizability key by key (model "register").
 *
 * - read:  invoke value null; ok value = what was read (null for a key never written).
 * - write: invoke and ok value = the integer written (0-4).
 *
 * The register starts out null, like a missing key; null read back is a real
 * value (not Knossos's "unknown").
 */
import { linearizableChecker } from '../../checkers/linearizable/index.js';
import type { Workload } from '../workload.js';
import { independentKeys } from './independent.js';

/** Values are drawn from 0..VALUES-1: few values make overwrites (and anomalies) visible. */
export const VALUES = 5;

export const registerWorkload: Workload = {
  name: 'register',
  vocabulary: {
    read: 'invoke null; ok: the value read (an integer, or null if never written)',
    write: 'invoke and ok: the integer written',
  },
  generator(options) {
    return independentKeys(
      options,
      () => (_ctx, rng) => (rng.int(2) === 0 ? { f: 'read', value: null } : { f: 'write', value: rng.int(VALUES) }),
    );
  },
  finalGenerator() {
    return undefined;
  },
  checker() {
    return linearizableChecker({ model: 'register', initial: null });
  },
};
