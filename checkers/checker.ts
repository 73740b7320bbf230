/**
 * Checker: a pure function from a history to a verdict. No I/O, no clocks
 * (a search may read a deadline it was given, and may use worker threads).
 *
 * Verdicts are three-valued. Composed, false beats unknown beats true.
 * A checker that throws yields unknown with the error (see `safeCheck`).
 */
import type { History } from '../harness/history/op.js';

export type Validity = true | false | 'unknown';

export interface CheckResult {
  valid: Validity;
  /** Why the verdict is unknown or false, in a sentence, when there is one. */
  error?: string;
  /** Checker-specific evidence (for people and the report). */
  [evidence: string]: unknown;
}

export interface CheckOptions {
  /** Give up with `unknown` after this many milliseconds of search. */
  timeoutMs?: number;
  /** Give up with `unknown` past roughly this much memory for the search. */
  memoryLimitBytes?: number;
}

export interface Checker {
  readonly name: string;
  check(history: History, options?: CheckOptions): Promise<CheckResult>;
}

/** false beats unknown beats true. */
export function mergeValidity(a: Validity, b: Validity): Validity {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

/** Runs a checker; an exception becomes an `unknown` verdict carrying the error. */
export async function safeCheck(checker: Checker, history: History, options?: CheckOptions): Promise<CheckResult> {
  try {
    return await checker.check(history, options);
  } catch (err) {
    return {
      valid: 'unknown',
      error: `checker ${checker.name} threw: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}
