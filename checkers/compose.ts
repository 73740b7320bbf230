import { type Checker, type CheckResult, type ComposedResult, mergeValidity, safeCheck } from './checker.js';

/** Runs several checkers on the same history; the result holds each one's result by name. */
export function composeCheckers(checkers: Record<string, Checker>): Checker<ComposedResult> {
  return {
    name: `compose(${Object.keys(checkers).join(',')})`,
    async check(history, options) {
      const entries = await Promise.all(
        Object.entries(checkers).map(async ([name, c]) => [name, await safeCheck(c, history, options)] as const),
      );
      const results: Record<string, CheckResult> = Object.fromEntries(entries);
      const valid = entries.reduce<ComposedResult['valid']>((v, [, r]) => mergeValidity(v, r.valid), true);
      return { kind: 'compose', valid, results };
    },
  };
}
