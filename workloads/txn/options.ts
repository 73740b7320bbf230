/**
 * What the transactional workloads share: Elle's knobs from the workload
 * options (keys → activeKeys, opsPerKey → maxWritesPerKey; the rest from
 * the workload's own options), and the models their checker holds the
 * history to.
 */
import type { WorkloadOptions } from '../workload.js';
import { DEFAULT_KNOBS, type TxnKnobs, validateKnobs } from './keys.js';

export interface TxnWorkloadOptions extends Partial<TxnKnobs> {
  /** The consistency models the target promises (default strict-serializable). */
  consistencyModels?: readonly string[];
}

/** The knobs for a run. Throws UserError naming the option when one is bad. */
export function knobsFor(defaults: TxnWorkloadOptions, options: WorkloadOptions): TxnKnobs {
  return validateKnobs({
    ...DEFAULT_KNOBS,
    ...stripUndefined(defaults),
    ...(options.keys !== undefined && { activeKeys: options.keys }),
    ...(options.opsPerKey !== undefined && { maxWritesPerKey: options.opsPerKey }),
  });
}

function stripUndefined(o: TxnWorkloadOptions): Partial<TxnKnobs> {
  const { consistencyModels: _models, ...knobs } = o;
  return Object.fromEntries(Object.entries(knobs).filter(([, v]) => v !== undefined)) as Partial<TxnKnobs>;
}
