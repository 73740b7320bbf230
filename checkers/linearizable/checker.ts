/** The linearizability checker as a Checker, for workloads. */
import type { Checker, CheckResult } from '../checker.js';
import { checkLinearizable, type LinearizableOptions } from './check.js';
import { explainLinearizable } from './explain.js';

/**
 * A Checker running checkLinearizable with `options`; the time and memory
 * budgets passed to `check` override those in `options`.
 * The result is the LinearizableResult plus `error` (the explanation) when not valid.
 */
export function linearizableChecker(options: LinearizableOptions): Checker {
  return {
    name: `linearizable(${options.model})`,
    async check(history, budget): Promise<CheckResult> {
      const result = await checkLinearizable(history, {
        ...options,
        ...(budget?.timeoutMs !== undefined ? { timeoutMs: budget.timeoutMs } : {}),
        ...(budget?.memoryLimitBytes !== undefined ? { memoryLimitBytes: budget.memoryLimitBytes } : {}),
      });
      if (result.valid === true) return { ...result };
      return { ...result, error: result.valid === false ? result.failure.explanation : explainLinearizable(result) };
    },
  };
}
