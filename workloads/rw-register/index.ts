/**
 * The rw-register workload (Elle's): transactions of writes and reads of
 * registers under integer keys, with Elle's knobs (../txn/keys.ts); the
 * rw-register checker (checkers/rw-register) infers what it can of each
 * key's version order and looks for dependency cycles and the other
 * anomalies, against the models the target promises.
 *
 * - txn: invoke value [["w", k, v] | ["r", k, null], ...]; ok value the same
 *   with each read's value filled in (null: never written). Every (k, v) is
 *   written once. Info when the client cannot tell whether it committed,
 *   fail when it knows it did not.
 */

import { rwRegisterChecker } from '../../checkers/rw-register/index.js';
import * as gen from '../../harness/generator/index.js';
import { paced } from '../pacing.js';
import { txnGenerator } from '../txn/generator.js';
import { initialPool } from '../txn/keys.js';
import { knobsFor, modelsFor, pick, type TxnWorkloadOptions } from '../txn/options.js';
import type { Workload } from '../workload.js';

export interface RwRegisterWorkloadOptions extends TxnWorkloadOptions {
  /** What the target promises per key, for inferring version orders (see checkers/rw-register). */
  linearizableKeys?: boolean;
  sequentialKeys?: boolean;
  wfrKeys?: boolean;
}

const PROMISES = ['linearizableKeys', 'sequentialKeys', 'wfrKeys'] as const;

export function rwRegisterWorkload(defaults: RwRegisterWorkloadOptions = {}): Workload {
  return {
    name: 'rw-register',
    vocabulary: {
      txn:
        'invoke: [["w", key, value] | ["r", key, null], ...]; ok: the same, each read with the value it read ' +
        '(null if never written); written values are unique per key',
    },
    generator(options) {
      const knobs = knobsFor(defaults, options);
      return gen.clients(paced(options, txnGenerator(knobs, 'w', initialPool(knobs))));
    },
    finalGenerator() {
      return undefined;
    },
    checker(options) {
      const promises = { ...pick(defaults, PROMISES), ...pick(options, PROMISES) } as RwRegisterWorkloadOptions;
      return rwRegisterChecker({
        consistencyModels: modelsFor(defaults, options),
        // A run wants every anomaly named, also those the promised models allow.
        reportAll: true,
        linearizableKeys: promises.linearizableKeys ?? options.linearizableReads,
        sequentialKeys: promises.sequentialKeys,
        wfrKeys: promises.wfrKeys,
      });
    },
  };
}

export const rwRegisterWorkloadDefault = rwRegisterWorkload();
