/**
 * Checker: a pure function from a history to a verdict. No I/O; the only
 * clock it reads is the one it is given (`CheckOptions.clock`), and it stops
 * when its AbortSignal aborts.
 *
 * Verdicts are three-valued. Composed, false beats unknown beats true.
 * A checker that throws yields unknown with the error (see `safeCheck`).
 *
 * Results are a discriminated union on `kind`. Each checker folder adds its
 * result type to `CheckResultKinds` (TypeScript declaration merging), next to
 * the code that makes it:
 *
 *   declare module '../checker.js' {
 *     interface CheckResultKinds { set: SetResult }
 *   }
 *
 * and registers how the result is summarised and drawn (its `ResultView`, see
 * ./view.ts) in ./views.ts. Nothing else learns the new kind.
 */
import type { History } from '../harness/history/op.js';

export type Validity = true | false | 'unknown';

/** What every checker result has. */
export interface ResultBase {
  /** Which checker made it: the discriminant of CheckResult. */
  readonly kind: string;
  valid: Validity;
  /** Why the verdict is unknown or false, in a sentence, when there is one. */
  error?: string | undefined;
}

/** No anomaly can be found: the noop checker (runs that only exercise faults). */
export interface NoopResult extends ResultBase {
  readonly kind: 'noop';
  valid: true;
}

/** A checker threw: the verdict is unknown, with what it threw. */
export interface CheckerErrorResult extends ResultBase {
  readonly kind: 'checker-error';
  valid: 'unknown';
  /** The checker's name. */
  checker: string;
  error: string;
}

/** Several checkers on one history (see ./compose.ts): each one's result by name. */
export interface ComposedResult extends ResultBase {
  readonly kind: 'compose';
  results: Record<string, CheckResult>;
}

/**
 * Every result type by its kind. Checker folders add theirs by declaration
 * merging (see the file comment); so can a user's plugin.
 */
export interface CheckResultKinds {
  noop: NoopResult;
  'checker-error': CheckerErrorResult;
  compose: ComposedResult;
}

/** Any checker's result: narrow it on `kind`. */
export type CheckResult = CheckResultKinds[keyof CheckResultKinds];

export interface CheckOptions {
  /** Give up with `unknown` after this many milliseconds (measured with `clock`). */
  timeoutMs?: number | undefined;
  /** Give up with `unknown` past roughly this much memory for the search. */
  memoryLimitBytes?: number | undefined;
  /** Aborting it stops the search: the verdict is `unknown` with how far it got. */
  signal?: AbortSignal | undefined;
  /** Milliseconds on any monotonic scale. Default: `performance.now`. */
  clock?: (() => number) | undefined;
  /** Bytes of heap in use, for the memory budget. Default: V8's used heap size. */
  heapUsed?: (() => number) | undefined;
  /** Where a checker may run parts of its work in parallel (worker threads). Default: none, all in this thread. */
  pool?: TaskPool | undefined;
}

/**
 * Runs pure functions on other threads. The harness provides one
 * (harness/check-pool); a checker only hands it tasks: a module, the name of
 * a function it exports, `(input, options: CheckOptions) => Promise<output>`,
 * and a structured-cloneable input. The function gets a `signal` that aborts
 * when `run`'s signal does, and the default clock and heap readings of its
 * thread.
 */
export interface TaskPool {
  /** Tasks it runs at once. */
  readonly size: number;
  /**
   * Runs `task.name` of the module at URL `task.module` on `input`.
   * Resolves to its output; rejects when the task threw or its thread failed
   * (the caller may then do the work itself).
   */
  run(task: { module: string; name: string }, input: unknown, signal?: AbortSignal): Promise<unknown>;
}

/**
 * A checker: `check` resolves with a result whose `valid` is true, false
 * (with evidence) or 'unknown' (a budget ran out, or it could not decide);
 * it never rejects for a bad history it can judge (a malformed one may throw:
 * `safeCheck` turns that into unknown). Pure: no I/O, no clock but `options.clock`.
 */
export interface Checker<R extends ResultBase = CheckResult> {
  readonly name: string;
  check(history: History, options?: CheckOptions): Promise<R>;
}

/** A checker, typed by its result (an identity function). Pure: no I/O, budgets through `options`. */
export function defineChecker<R extends ResultBase>(checker: Checker<R>): Checker<R> {
  return checker;
}

/** false beats unknown beats true. */
export function mergeValidity(a: Validity, b: Validity): Validity {
  if (a === false || b === false) return false;
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return true;
}

/** Runs a checker; an exception becomes an `unknown` verdict carrying the error. */
export async function safeCheck<R extends ResultBase>(
  checker: Checker<R>,
  history: History,
  options?: CheckOptions,
): Promise<R | CheckerErrorResult> {
  try {
    return await checker.check(history, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      kind: 'checker-error',
      valid: 'unknown',
      checker: checker.name,
      error: `checker ${checker.name} threw: ${message}`,
    };
  }
}
