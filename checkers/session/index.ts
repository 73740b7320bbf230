/**
 * The session-guarantees checker (Terry et al., "Session Guarantees for
 * Weakly Consistent Replicated Data", 1994): read-your-writes, monotonic
 * reads, monotonic writes and writes-follow-reads, judged key by key over
 * register histories (f read / write) or grow-only set histories (f add /
 * read), where each process is a session.
 *
 *   checkSession(history, { datatype: 'register' | 'set', require?, violationLimit? })
 *   sessionChecker(options)   // a Checker for workloads
 *
 * What a session is, and what counts:
 * - A session is a process id. After an `info` completion the worker goes on
 *   under a fresh process id, so an indeterminate op is its session's last.
 * - `fail` ops did not happen and ask nothing. `info` writes may have
 *   happened: they never set a requirement (nothing demands they be seen),
 *   and they count as having happened only once a read shows them. `info`
 *   reads tell nothing. So an indeterminate op never yields a violation.
 * - Values must be unique per key (a read names the write it saw); a history
 *   that writes a value twice to a key is malformed. On registers null is the
 *   initial value and cannot be written.
 * - Guarantees are judged per key: a read of one key depends only on that
 *   key's writes. (Terry's guarantees span the whole database; with
 *   single-key reads a cross-key requirement could not be observed anyway.)
 *
 * The exact rules per guarantee and their limits: ./register.ts (with the
 * version order of ./versions.ts: on registers monotonic writes and
 * writes-follow-reads are not observable) and ./set.ts (all four observable).
 * Sets are also checked for lost acknowledged adds and unexpected elements by
 * checkers/set, key by key.
 *
 * Verdict: false when a required guarantee (default: all four) is violated,
 * a register read is unexplained (no write can have produced it), or a set
 * lost an acknowledged add or shows an unexpected element. Unknown when no
 * read could be judged for any guarantee (nothing is known), or the budget
 * ran out before a violation was found. Otherwise true. The budget (time,
 * memory, abort) is looked at between reads; checkers/set's pass over a set
 * key is not interrupted by it.
 */
import { UserError } from '../../harness/history/errors.js';
import type { History } from '../../harness/history/op.js';
import { Budget } from '../budget.js';
import type { Checker, CheckOptions } from '../checker.js';
import { checkSet } from '../set/index.js';
import { opsByKey } from './ops.js';
import { checkRegisterKey } from './register.js';
import {
  type Datatype,
  GUARANTEES,
  type Guarantee,
  type GuaranteeVerdict,
  type SessionResult,
  type SetAnomalies,
  type UnexplainedRead,
} from './result.js';
import { checkSetKey } from './set.js';
import { Tally } from './tally.js';

export type * from './result.js';
export { GUARANTEES } from './result.js';

/** The datatype checked, the guarantees required, and how many violations are kept. */
export interface SessionCheckerOptions {
  /** register: f read and write; set: f add and read (a read returns every element). Default register. */
  datatype?: Datatype;
  /** The guarantees whose violation makes the verdict false. Default all four. */
  require?: readonly Guarantee[];
  /** Violations kept as evidence per guarantee (all are counted); Infinity keeps all. Default 20. */
  violationLimit?: number;
}

const NOT_OBSERVABLE_ON_REGISTERS =
  'not observable on a register: a read shows only the newest write, so the order of writes is inferred ' +
  "assuming a session's writes (and writes after reads) are ordered as this guarantee asks; check a set to observe it";

/** Reads between two looks at the budget. */
const BUDGET_EVERY = 256;

/**
 * The session-guarantees checker as a Checker (for a workload): `check`
 * resolves with checkSession's verdict under the run's budget. Throws
 * UserError at once for bad options.
 */
export function sessionChecker(options: SessionCheckerOptions = {}): Checker<SessionResult> {
  validate(options);
  return {
    name: `session(${options.datatype ?? 'register'})`,
    async check(history, budget) {
      return checkSession(history, options, budget);
    },
  };
}

/**
 * Checks a history. Returns the verdict, the ladder and the evidence (see the
 * module comment). Throws MalformedHistoryError for a history the checker
 * cannot read (see ops.ts) and UserError for bad options.
 */
export function checkSession(
  history: History,
  options: SessionCheckerOptions = {},
  checkOptions: CheckOptions = {},
): SessionResult {
  validate(options);
  const datatype = options.datatype ?? 'register';
  const required = new Set<Guarantee>(options.require ?? GUARANTEES);
  const budget = new Budget(checkOptions);
  let looks = 0;
  let stoppedEarly: string | undefined;
  const stop = (): boolean => {
    if (stoppedEarly === undefined && ++looks % BUDGET_EVERY === 0) stoppedEarly = budget.exceeded();
    return stoppedEarly !== undefined;
  };

  const keys = opsByKey(history, datatype);
  const tally = new Tally(options.violationLimit ?? 20);
  const unexplained: UnexplainedRead[] = [];
  const setAnomalies: SetAnomalies[] = [];
  for (const k of keys) {
    if (stop()) break;
    if (datatype === 'register') checkRegisterKey(k, tally, unexplained, stop);
    else {
      checkSetKey(k, tally, stop);
      const s = checkSet(k.raw);
      if (s.lostCount > 0 || s.unexpectedCount > 0)
        setAnomalies.push({ key: k.key, lost: s.lost, unexpected: s.unexpected });
    }
  }

  const ladder: GuaranteeVerdict[] = GUARANTEES.map((guarantee) => {
    const notObservable =
      datatype === 'register' && (guarantee === 'monotonic-writes' || guarantee === 'writes-follow-reads');
    const violations = tally.violationCount[guarantee];
    const judged = tally.judged[guarantee];
    const status = notObservable
      ? 'not-observable'
      : violations > 0
        ? 'violated'
        : judged > 0
          ? 'held'
          : 'not-exercised';
    return {
      guarantee,
      status,
      required: required.has(guarantee),
      judged,
      undecided: tally.undecided[guarantee],
      violations,
      ...(notObservable ? { note: NOT_OBSERVABLE_ON_REGISTERS } : {}),
    };
  });

  const lostCount = setAnomalies.reduce((n, a) => n + a.lost.length, 0);
  const unexpectedCount = setAnomalies.reduce((n, a) => n + a.unexpected.length, 0);
  const problems: string[] = [];
  for (const rung of ladder) {
    if (rung.status === 'violated' && rung.required) problems.push(`${rung.guarantee} violated ${rung.violations}×`);
  }
  if (unexplained.length > 0) problems.push(`${unexplained.length} read(s) no write explains`);
  if (lostCount > 0) problems.push(`${lostCount} acknowledged add(s) lost`);
  if (unexpectedCount > 0) problems.push(`${unexpectedCount} unexpected element(s) read`);
  const anyJudged = ladder.some((r) => r.judged > 0);

  let valid: SessionResult['valid'] = true;
  let error: string | undefined;
  if (problems.length > 0) {
    valid = false;
    error = problems.join('; ') + (stoppedEarly ? ` (checking stopped early: ${stoppedEarly})` : '');
  } else if (stoppedEarly !== undefined) {
    valid = 'unknown';
    error = `checking stopped early: ${stoppedEarly}`;
  } else if (!anyJudged) {
    valid = 'unknown';
    error = 'no read could be judged for any session guarantee';
  }

  const ops = keys.flatMap((k) => k.ops);
  return {
    kind: 'session',
    valid,
    ...(error === undefined ? {} : { error }),
    datatype,
    keys: keys.length,
    sessions: new Set(ops.map((op) => op.process)).size,
    reads: ops.filter((op) => op.f === 'read').length,
    writes: ops.filter((op) => op.f !== 'read').length,
    ladder,
    violations: GUARANTEES.flatMap((g) => tally.violations[g]).sort((a, b) => a.read.invokeIndex - b.read.invokeIndex),
    unexplained: unexplained.slice(0, options.violationLimit ?? 20),
    unexplainedCount: unexplained.length,
    setAnomalies,
    lostCount,
    unexpectedCount,
    ...(stoppedEarly === undefined ? {} : { stoppedEarly }),
  };
}

/** Throws UserError naming the option when one is out of range. */
function validate(options: SessionCheckerOptions): void {
  const { datatype, require: req, violationLimit } = options;
  if (datatype !== undefined && datatype !== 'register' && datatype !== 'set') {
    throw new UserError(`must be register or set, got ${JSON.stringify(datatype)}`, { where: 'session datatype' });
  }
  for (const g of req ?? []) {
    if (!GUARANTEES.includes(g)) {
      throw new UserError(`unknown guarantee ${JSON.stringify(g)} (known: ${GUARANTEES.join(', ')})`, {
        where: 'session require',
      });
    }
  }
  const limitOk =
    violationLimit === undefined ||
    violationLimit === Number.POSITIVE_INFINITY ||
    (Number.isInteger(violationLimit) && violationLimit >= 0);
  if (!limitOk) {
    throw new UserError(`must be a non-negative integer (or Infinity), got ${violationLimit}`, {
      where: 'session violationLimit',
    });
  }
}
