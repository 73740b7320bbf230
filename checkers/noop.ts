import type { Checker, NoopResult } from './checker.js';

/** Accepts every history: for runs that only exercise faults. */
export const noopChecker: Checker<NoopResult> = {
  name: 'noop',
  async check() {
    return { kind: 'noop', valid: true };
  },
};
