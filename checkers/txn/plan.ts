/**
 * What a transactional check looks for, from its options (as Elle decides
 * it): the anomalies the named consistency models forbid, plus any named
 * directly; the ones worth reporting (those, and the ones that make a
 * verdict unknown); and which orders the dependency graph needs: real time
 * when a -realtime anomaly is forbidden (it covers process order too), else
 * process order when a -process one is, else neither.
 */
import { UserError } from '../../harness/history/errors.js';
import type { CheckOptions } from '../checker.js';
import { CYCLE_TYPES } from './cycle-types.js';
import {
  ALL_ANOMALIES,
  ALL_MODELS,
  isKnownAnomaly,
  isKnownModel,
  prohibitedAnomalies,
  UNKNOWN_ANOMALIES,
} from './models.js';

export interface TxnCheckOptions extends CheckOptions {
  /** The models the history should satisfy. Default ['strict-serializable']. */
  consistencyModels?: readonly string[] | undefined;
  /** Anomaly types to look for beyond those the models forbid (Elle's :anomalies). */
  anomalies?: readonly string[] | undefined;
  /** Cases listed per anomaly type (all are counted). Default 20. */
  maxCasesPerType?: number | undefined;
  /**
   * Also look for every anomaly strict serializability forbids and report
   * those found with the models they rule out; the ones the models allow
   * leave the verdict alone (a snapshot-isolation run with write skew is
   * valid and still says it is not serializable). Default false.
   */
  reportAll?: boolean | undefined;
}

export const DEFAULT_MODELS: readonly string[] = ['strict-serializable'];

export interface CheckPlan {
  models: string[];
  extraAnomalies: string[];
  /** Anomalies that make the verdict false. */
  prohibited: ReadonlySet<string>;
  /** Anomalies reported (prohibited, the unknown-making ones, and with reportAll every other one). */
  reportable: ReadonlySet<string>;
  /** The cycle types to search for. */
  cycleTypes: ReadonlySet<string>;
  realtime: boolean;
  process: boolean;
}

/**
 * The plan for `options`. Throws UserError naming the option for an unknown
 * model or anomaly name, or a bad maxCasesPerType.
 */
export function planCheck(options: TxnCheckOptions): CheckPlan {
  const models = [...(options.consistencyModels ?? DEFAULT_MODELS)];
  const extraAnomalies = [...(options.anomalies ?? [])];
  validateModels(models);
  validateAnomalies(extraAnomalies);
  const max = options.maxCasesPerType;
  if (max !== undefined && (!Number.isInteger(max) || max < 1)) {
    throw new UserError(`must be a positive whole number, got ${max}`, { where: 'maxCasesPerType' });
  }
  const prohibited = prohibitedAnomalies(models, extraAnomalies);
  const everything = options.reportAll ? prohibitedAnomalies(['strict-serializable']) : [];
  const reportable = new Set([...prohibited, ...UNKNOWN_ANOMALIES, ...everything]);
  const cycleTypes = new Set(CYCLE_TYPES.filter((t) => reportable.has(t)));
  const realtime = [...cycleTypes].some((t) => t.endsWith('-realtime'));
  const process = !realtime && [...cycleTypes].some((t) => t.endsWith('-process'));
  return { models, extraAnomalies, prohibited, reportable, cycleTypes, realtime, process };
}

/** Throws UserError naming --consistency-models for an unknown model. */
export function validateModels(models: readonly string[]): void {
  const unknown = models.filter((m) => !isKnownModel(m));
  if (unknown.length > 0) {
    throw new UserError(`unknown consistency model(s) ${unknown.join(', ')} (known: ${ALL_MODELS.join(', ')})`, {
      where: '--consistency-models',
    });
  }
}

/** Throws UserError naming --anomalies for an unknown anomaly type. */
export function validateAnomalies(anomalies: readonly string[]): void {
  const unknown = anomalies.filter((a) => !isKnownAnomaly(a));
  if (unknown.length > 0) {
    throw new UserError(`unknown anomaly type(s) ${unknown.join(', ')} (known: ${ALL_ANOMALIES.join(', ')})`, {
      where: '--anomalies',
    });
  }
}
