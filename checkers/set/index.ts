/**
 * The set checker, like Jepsen's set-full: clients `add` unique elements and
 * `read` the whole set (value: an array of elements). For every element it
 * works out when it was added, when it became known, when it was last seen,
 * and whether it was lost.
 *
 * Reads are ordered by the history position of their invocation (real time),
 * as in pairHistory. Definitions, for an element e:
 *
 * - known: the first history position at which e certainly exists: the `ok`
 *   completion of its add, or the completion of the first read that contains
 *   it, whichever is first.
 * - a read "after known" is an ok read invoked after e became known.
 * - lost: some read after known does not contain e, and no read that contains
 *   e completes after that read was invoked. An acknowledged add that the
 *   final reads do not show is lost.
 * - stale: not lost, but some read after known missed it (it was absent, then
 *   present again): a stale read, legal for serializable reads, not for
 *   linearizable ones.
 * - never-read: known only through its acknowledged add, and no read was
 *   invoked after that.
 * - unexpected: read, although no add of it was ever invoked or its add
 *   definitely failed.
 * - duplicated: appears more than once in a single read.
 *
 * Verdict: false when any element is lost or unexpected (or, with
 * `linearizable`, when any is stale); unknown when no read completed ok (then
 * nothing can be said); otherwise true.
 */

import { MalformedHistoryError } from '../../harness/history/errors.js';
import type { History, Json } from '../../harness/history/op.js';
import { type PairedOp, pairHistory, pairOps } from '../../harness/history/pair.js';
import type { Checker, ResultBase } from '../checker.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    set: SetCheckResult;
  }
}

export interface SetCheckerOptions {
  /** Treat stale reads as a violation (for linearizable reads). Default false. */
  linearizable?: boolean;
  /** How many per-element details to include for each category. Default 20. */
  detailLimit?: number;
}

/** What happened to one element, for the evidence. Positions are history indices; times ns. */
export interface ElementDetail {
  element: Json;
  addInvokeIndex: number | undefined;
  /** Position of the add's ok completion; undefined when it was not acknowledged. */
  addOkIndex: number | undefined;
  /** The node that acknowledged the add (its ok completion's node), when recorded. */
  addOkNode: string | undefined;
  knownIndex: number;
  /** Completion position of the first read that contained it (when it became visible); undefined when never read. */
  firstSeenIndex: number | undefined;
  /** Completion position of the last read that contained it; undefined when never read. */
  lastSeenIndex: number | undefined;
  /** Invocation position of the last read after known that missed it; undefined when none did. */
  lastMissedIndex: number | undefined;
  /** How many reads after known missed it. */
  readsMissing: number;
}

export interface SetCheckResult extends ResultBase {
  readonly kind: 'set';
  attemptedCount: number;
  acknowledgedCount: number;
  readCount: number;
  stableCount: number;
  lostCount: number;
  lost: Json[];
  unexpectedCount: number;
  unexpected: Json[];
  neverReadCount: number;
  neverRead: Json[];
  staleCount: number;
  stale: Json[];
  duplicatedCount: number;
  duplicated: Json[];
  /** Up to detailLimit lost and stale elements with their positions. */
  lostDetails: ElementDetail[];
  staleDetails: ElementDetail[];
  /**
   * Milliseconds from an add's invocation to the invocation of the first read
   * from which on it was always seen (0 when that read began earlier), over
   * the stable and stale elements.
   */
  stableLatencyMs: LatencySummary | undefined;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Per-element bookkeeping while scanning. */
interface ElementState {
  element: Json;
  addInvokeIndex: number | undefined;
  addInvokeTime: number | undefined;
  addOkIndex: number | undefined;
  addOkNode: string | undefined;
  /** Some add of it completed ok or info (so it may exist). */
  mayHaveBeenAdded: boolean;
  /** Positions (into the sorted reads) of the reads that contain it, ascending. */
  presentIn: number[];
}

export function setChecker(options: SetCheckerOptions = {}): Checker<SetCheckResult> {
  return {
    name: 'set',
    async check(history) {
      return checkSet(history, options);
    },
  };
}

/**
 * Checks a set history. Returns the verdict with the evidence described in
 * the module comment. Throws MalformedHistoryError when the history breaks
 * the pairing rules, an ok read's value is not an array, or an op has an f
 * other than add and read.
 */
export function checkSet(history: History, options: SetCheckerOptions = {}): SetCheckResult {
  const detailLimit = options.detailLimit ?? 20;
  const paired = pairHistory(history);
  const elements = new Map<string, ElementState>();
  const stateOf = (element: Json): ElementState => {
    const id = JSON.stringify(element);
    let state = elements.get(id);
    if (!state) {
      state = {
        element,
        addInvokeIndex: undefined,
        addInvokeTime: undefined,
        addOkIndex: undefined,
        addOkNode: undefined,
        mayHaveBeenAdded: false,
        presentIn: [],
      };
      elements.set(id, state);
    }
    return state;
  };

  // Adds: invoked (ok, info) from the paired ops; definitely failed ones from the raw history.
  const reads: PairedOp[] = [];
  for (const op of paired) {
    if (op.f === 'read') {
      if (op.outcome === 'ok') reads.push(op);
    } else if (op.f === 'add') {
      const state = stateOf(op.value ?? null);
      state.addInvokeIndex ??= op.invokeIndex;
      state.addInvokeTime ??= op.invokeTime;
      state.mayHaveBeenAdded = true;
      if (op.outcome === 'ok' && state.addOkIndex === undefined) {
        state.addOkIndex = op.completeIndex;
        state.addOkNode = op.node;
      }
    } else {
      throw new MalformedHistoryError(
        `the set checker knows f add and read, not ${JSON.stringify(op.f)}`,
        op.invokeIndex,
      );
    }
  }
  for (const failed of failedAdds(history)) {
    const state = stateOf(failed.value);
    state.addInvokeIndex ??= failed.invokeIndex;
  }

  // Reads in invocation order (pairHistory already orders by invocation).
  const duplicated = new Map<string, Json>();
  reads.forEach((read, position) => {
    if (!Array.isArray(read.value)) {
      throw new MalformedHistoryError(
        `an ok read's value must be an array of elements, got ${JSON.stringify(read.value)}`,
        read.completeIndex ?? read.invokeIndex,
      );
    }
    const seen = new Set<string>();
    for (const element of read.value) {
      const id = JSON.stringify(element);
      if (seen.has(id)) {
        duplicated.set(id, element);
        continue;
      }
      seen.add(id);
      stateOf(element).presentIn.push(position);
    }
  });
  const readInvokes = reads.map((r) => r.invokeIndex);

  const result = {
    lost: [] as ElementDetail[],
    stale: [] as ElementDetail[],
    unexpected: [] as Json[],
    neverRead: [] as Json[],
    stableCount: 0,
    latenciesNs: [] as number[],
  };
  let attempted = 0;
  let acknowledged = 0;
  for (const state of elements.values()) {
    if (state.addInvokeIndex !== undefined) attempted++;
    if (state.addOkIndex !== undefined) acknowledged++;
    const firstPresent = state.presentIn[0];
    if (firstPresent !== undefined && !state.mayHaveBeenAdded) {
      result.unexpected.push(state.element);
      continue;
    }
    const firstSeenIndex = firstPresent === undefined ? undefined : reads[firstPresent]!.completeIndex!;
    const knownIndex = minDefined(state.addOkIndex, firstSeenIndex);
    if (knownIndex === undefined) continue; // never acknowledged, never seen: nothing to say.

    const firstAfterKnown = firstGreater(readInvokes, knownIndex);
    const readsAfterKnown = reads.length - firstAfterKnown;
    if (firstPresent === undefined && readsAfterKnown === 0) {
      result.neverRead.push(state.element);
      continue;
    }
    const presentAfterKnown = state.presentIn.length - firstGreaterOrEqual(state.presentIn, firstAfterKnown);
    const missing = readsAfterKnown - presentAfterKnown;
    const lastMissed = missing > 0 ? lastAbsentPosition(state.presentIn, reads.length) : undefined;
    const lastSeenIndex = maxPresentCompletion(state.presentIn, reads);
    const detail: ElementDetail = {
      element: state.element,
      addInvokeIndex: state.addInvokeIndex,
      addOkIndex: state.addOkIndex,
      addOkNode: state.addOkNode,
      knownIndex,
      firstSeenIndex,
      lastSeenIndex,
      lastMissedIndex: lastMissed === undefined ? undefined : reads[lastMissed]!.invokeIndex,
      readsMissing: missing,
    };
    const lost =
      detail.lastMissedIndex !== undefined && (lastSeenIndex === undefined || detail.lastMissedIndex > lastSeenIndex);
    if (lost) {
      result.lost.push(detail);
      continue;
    }
    if (missing > 0) result.stale.push(detail);
    else result.stableCount++;
    // The first read of the final run of reads that all contain it.
    const stableFrom = lastMissed === undefined ? firstPresent : lastMissed + 1;
    const stableRead = stableFrom === undefined ? undefined : reads[stableFrom];
    if (stableRead && state.addInvokeTime !== undefined) {
      result.latenciesNs.push(Math.max(0, stableRead.invokeTime - state.addInvokeTime));
    }
  }

  const lost = sortElements(result.lost.map((d) => d.element));
  const unexpected = sortElements(result.unexpected);
  const stale = sortElements(result.stale.map((d) => d.element));
  const staleInvalid = options.linearizable === true && stale.length > 0;
  let valid: SetCheckResult['valid'] = true;
  let error: string | undefined;
  if (lost.length > 0 || unexpected.length > 0 || staleInvalid) {
    valid = false;
    const parts: string[] = [];
    if (lost.length > 0) parts.push(`${lost.length} acknowledged element(s) lost, e.g. ${show(lost)}`);
    if (unexpected.length > 0)
      parts.push(`${unexpected.length} element(s) read that were never added, e.g. ${show(unexpected)}`);
    if (staleInvalid)
      parts.push(`${stale.length} element(s) missing from a read after they were known, e.g. ${show(stale)}`);
    error = parts.join('; ');
  } else if (reads.length === 0) {
    valid = 'unknown';
    error = 'no read completed ok, so nothing is known about the set';
  }

  const byKnown = (a: ElementDetail, b: ElementDetail) => a.knownIndex - b.knownIndex;
  return {
    kind: 'set',
    valid,
    ...(error === undefined ? {} : { error }),
    attemptedCount: attempted,
    acknowledgedCount: acknowledged,
    readCount: reads.length,
    stableCount: result.stableCount,
    lostCount: lost.length,
    lost,
    unexpectedCount: unexpected.length,
    unexpected,
    neverReadCount: result.neverRead.length,
    neverRead: sortElements(result.neverRead),
    staleCount: stale.length,
    stale,
    duplicatedCount: duplicated.size,
    duplicated: sortElements([...duplicated.values()]),
    lostDetails: result.lost.sort(byKnown).slice(0, detailLimit),
    staleDetails: result.stale.sort(byKnown).slice(0, detailLimit),
    stableLatencyMs: summarise(result.latenciesNs),
  };
}

/** Invocations of add that completed with fail (their value is the invocation's). */
function failedAdds(history: History): { value: Json; invokeIndex: number }[] {
  return pairOps(history)
    .filter((op) => op.f === 'add' && op.complete?.type === 'fail')
    .map((op) => ({ value: op.invoke.value ?? null, invokeIndex: op.invoke.index }));
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** The first position in ascending `sorted` whose value is > x (sorted.length when none). */
function firstGreater(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The first position in ascending `sorted` whose value is >= x. */
function firstGreaterOrEqual(sorted: readonly number[], x: number): number {
  return firstGreater(sorted, x - 1);
}

/**
 * The largest read position in [0, readCount) not in `present` (ascending).
 * Walks back over the final run of consecutive present positions only.
 */
function lastAbsentPosition(present: readonly number[], readCount: number): number | undefined {
  let candidate = readCount - 1;
  for (let i = present.length - 1; i >= 0 && present[i] === candidate; i--) candidate--;
  return candidate >= 0 ? candidate : undefined;
}

function maxPresentCompletion(present: readonly number[], reads: readonly PairedOp[]): number | undefined {
  let max: number | undefined;
  for (const position of present) {
    const complete = reads[position]!.completeIndex!;
    if (max === undefined || complete > max) max = complete;
  }
  return max;
}

/** Numbers ascending, then everything else by its JSON text. */
function sortElements(elements: Json[]): Json[] {
  return [...elements].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return JSON.stringify(a) < JSON.stringify(b) ? -1 : 1;
  });
}

function show(elements: Json[]): string {
  const head = elements.slice(0, 10).map((e) => JSON.stringify(e));
  return elements.length > 10 ? `${head.join(', ')}, …` : head.join(', ');
}

function summarise(valuesNs: number[]): LatencySummary | undefined {
  if (valuesNs.length === 0) return undefined;
  const sorted = [...valuesNs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 1e6;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]! / 1e6 };
}
