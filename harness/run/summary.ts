/**
 * The verdict of a run in a few words, for the terminal and CI logs. Works on
 * any checker result: it looks for the evidence fields our checkers produce
 * (a linearizability failure's explanation, a set's lost / unexpected counts).
 */
import type { CheckResult } from '../../checkers/checker.js';

export function verdictWord(valid: CheckResult['valid']): string {
  return valid === true ? 'VALID' : valid === false ? 'INVALID' : 'UNKNOWN';
}

/** One or two lines saying what went wrong, or undefined when the result is valid. */
export function describeAnomaly(result: CheckResult): string | undefined {
  if (result.valid === true) return undefined;
  const failure = result.failure as { explanation?: unknown; key?: unknown } | undefined;
  if (failure && typeof failure.explanation === 'string') {
    const key = failure.key === undefined ? '' : `key ${JSON.stringify(failure.key)}: `;
    return `not linearizable: ${key}${failure.explanation}`;
  }
  if (typeof result.lostCount === 'number' || typeof result.unexpectedCount === 'number') {
    return `set: ${String(result.lostCount ?? 0)} lost, ${String(result.unexpectedCount ?? 0)} unexpected element(s)`;
  }
  if (typeof result.error === 'string') return result.error;
  return undefined;
}
