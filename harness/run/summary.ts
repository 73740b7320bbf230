/**
 * The verdict of a run in a few words, for the terminal and CI logs: each
 * checker's view says what its result means (checkers/views.ts).
 */
import type { CheckResult, Validity } from '../../checkers/checker.js';
import { summarize } from '../../checkers/views.js';

export function verdictWord(valid: Validity): string {
  return valid === true ? 'VALID' : valid === false ? 'INVALID' : 'UNKNOWN';
}

/** One line saying what went wrong, or undefined when the result is valid. */
export function describeAnomaly(result: CheckResult): string | undefined {
  if (result.valid === true) return undefined;
  return summarize(result);
}
