/**
 * The list-append workload (Elle's): transactions of appends to and reads
 * of lists under integer keys, with Elle's knobs (./../txn/keys.ts); the
 * list-append checker (checkers/list-append) infers every key's version
 * order from its reads and looks for dependency cycles and the other
 * anomalies, against the models the target promises.
 *
 * - txn: invoke value [["append", k, v] | ["r", k, null], ...]; ok value the
 *   same with each read's list filled in (["r", k, [v1, v2, ...]]). Every
 *   (k, v) is appended once. A client that cannot tell whether the
 *   transaction committed completes it with info; one that knows it did not,
 *   with fail.
 */
import { listAppendChecker } from '../../checkers/list-append/index.js';
import * as gen from '../../harness/generator/index.js';
import { paced } from '../pacing.js';
import { txnGenerator } from '../txn/generator.js';
import { initialPool } from '../txn/keys.js';
import { knobsFor, modelsFor, type TxnWorkloadOptions } from '../txn/options.js';
import type { Workload } from '../workload.js';

export function listAppendWorkload(defaults: TxnWorkloadOptions = {}): Workload {
  return {
    name: 'list-append',
    vocabulary: {
      txn:
        'invoke: [["append", key, value] | ["r", key, null], ...]; ok: the same, each read with the list it ' +
        'read (["r", key, [values...]]); appended values are unique per key',
    },
    generator(options) {
      const knobs = knobsFor(defaults, options);
      return gen.clients(paced(options, txnGenerator(knobs, 'append', initialPool(knobs))));
    },
    finalGenerator() {
      return undefined;
    },
    checker(options) {
      // reportAll: a run wants every anomaly named, also those the promised models allow.
      return listAppendChecker({ consistencyModels: modelsFor(defaults, options), reportAll: true });
    },
  };
}

export const listAppendWorkloadDefault = listAppendWorkload();
