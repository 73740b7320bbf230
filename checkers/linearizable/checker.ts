/** The linearizability checker as a Checker, for workloads. */
import type { Checker } from '../checker.js';
import { checkLinearizable, type LinearizableOptions } from './check.js';
import type { LinearizableResult } from './result.js';

/** A Checker running checkLinearizable with `options`; what is set in `check`'s options (budgets, signal, clock, pool) overrides them. */
export function linearizableChecker(options: LinearizableOptions): Checker<LinearizableResult> {
  return {
    name: `linearizable(${options.model})`,
    check(history, given = {}) {
      const set = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
      return checkLinearizable(history, { ...options, ...set });
    },
  };
}
