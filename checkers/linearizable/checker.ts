/** The linearizability checker as a Checker, for workloads. */
import type { Checker } from '../checker.js';
import { checkLinearizable, type LinearizableOptions } from './check.js';
import type { LinearizableResult } from './result.js';

/** A Checker running checkLinearizable with `options`; the budgets passed to `check` override those in `options`. */
export function linearizableChecker(options: LinearizableOptions): Checker<LinearizableResult> {
  return {
    name: `linearizable(${options.model})`,
    check(history, budget) {
      return checkLinearizable(history, {
        ...options,
        ...(budget?.timeoutMs !== undefined ? { timeoutMs: budget.timeoutMs } : {}),
        ...(budget?.memoryLimitBytes !== undefined ? { memoryLimitBytes: budget.memoryLimitBytes } : {}),
      });
    },
  };
}
