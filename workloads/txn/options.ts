/**
 * What the transactional workloads share: Elle's knobs, from the
 * workload's defaults, then test.workloadOptions (a config may set any of
 * them by name), then the general workload options (keys → activeKeys,
 * opsPerKey → maxWritesPerKey); and the models their checker holds the
 * history to.
 */
import { validateModels } from '../../checkers/txn/plan.js';
import type { WorkloadOptions } from '../workload.js';
import { DEFAULT_KNOBS, type TxnKnobs, validateKnobs } from './keys.js';

export interface TxnWorkloadOptions extends Partial<TxnKnobs> {
  /** The consistency models the target promises (default strict-serializable). */
  consistencyModels?: readonly string[];
}

const KNOB_NAMES = ['activeKeys', 'minTxnLength', 'maxTxnLength', 'maxWritesPerKey', 'keyDistribution'] as const;

/** The named fields of `from` that are set. */
export function pick<K extends string>(from: object, names: readonly K[]): Partial<Record<K, unknown>> {
  const record = from as Record<string, unknown>;
  return Object.fromEntries(names.filter((n) => record[n] !== undefined).map((n) => [n, record[n]])) as Partial<
    Record<K, unknown>
  >;
}

/** The knobs for a run. Throws UserError naming the option when one is bad. */
export function knobsFor(defaults: TxnWorkloadOptions, options: WorkloadOptions): TxnKnobs {
  return validateKnobs({
    ...DEFAULT_KNOBS,
    ...pick(defaults, KNOB_NAMES),
    ...pick(options, KNOB_NAMES),
    ...(options.keys !== undefined && { activeKeys: options.keys }),
    ...(options.opsPerKey !== undefined && { maxWritesPerKey: options.opsPerKey }),
  } as TxnKnobs);
}

/**
 * The consistency models to check: test.workloadOptions' when set, else the
 * workload's. Throws UserError naming --consistency-models for an unknown one.
 */
export function modelsFor(defaults: TxnWorkloadOptions, options: WorkloadOptions): readonly string[] | undefined {
  const given = (options as { consistencyModels?: unknown }).consistencyModels;
  const models = Array.isArray(given) ? (given as string[]) : defaults.consistencyModels;
  if (models) validateModels(models);
  return models;
}
