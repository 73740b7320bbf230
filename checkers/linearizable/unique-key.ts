/**
 * One key through the unique-value fast path (unique-values.ts), with its
 * answer checked against the model before it is believed: a linearization is
 * replayed step by step (every step legal, real time kept, every ok op
 * placed), and so is the partial one of a failure (and the op said to be
 * blocked must be illegal after it). An answer that does not check out, like
 * values the fast path cannot use, sends the key to the search.
 */
import { ILLEGAL, type Model } from '../models/model.js';
import { type KeyOps, keyFailure, type PathStep } from './evidence.js';
import type { KeyFailure } from './result.js';
import { decideByUniqueValues } from './unique-values.js';

export type FastPathOutcome =
  | { kind: 'valid' }
  | { kind: 'invalid'; failure: KeyFailure }
  /** Not decided here: search the key. */
  | { kind: 'search'; reason: string };

/**
 * Decides the key from its unique values when the model can name its states
 * (Model.stateSteps) and no value is written twice.
 * Returns valid, invalid with evidence, or search (with why not).
 */
export function decideKeyByUniqueValues(model: Model<unknown>, ops: KeyOps): FastPathOutcome {
  const steps = model.stateSteps?.(ops.search);
  if (steps === undefined) return { kind: 'search', reason: 'the values do not name the states' };
  const outcome = decideByUniqueValues(ops.search, steps);
  if (outcome.kind === 'not-unique') return { kind: 'search', reason: outcome.reason };
  const path = replay(model, ops, outcome.order);
  if (path === undefined) return { kind: 'search', reason: 'the fast path built an order the model rejects' };
  if (outcome.kind === 'valid') {
    const okOps = ops.search.reduce((n, op) => n + (op.outcome === 'ok' ? 1 : 0), 0);
    const okPlaced = outcome.order.reduce((n, i) => n + (ops.search[i]!.outcome === 'ok' ? 1 : 0), 0);
    if (okPlaced !== okOps) return { kind: 'search', reason: 'the fast path left out an ok op' };
    return { kind: 'valid' };
  }
  const blocked = ops.search[outcome.blocked]!;
  const state = path.length === 0 ? model.init() : path[path.length - 1]!.state;
  const placed = new Set(outcome.order);
  const mustPrecede = ops.search.some(
    (op, i) =>
      op.outcome === 'ok' && !placed.has(i) && i !== outcome.blocked && op.completeIndex! < blocked.invokeIndex,
  );
  if (
    blocked.outcome !== 'ok' ||
    placed.has(outcome.blocked) ||
    mustPrecede ||
    model.step(state, blocked) !== ILLEGAL
  ) {
    return { kind: 'search', reason: 'the fast path blamed an op that could go next' };
  }
  return { kind: 'invalid', failure: keyFailure(model, ops, [path], outcome.blocked, model.init()) };
}

/** The model's states along `order`, or undefined when a step is illegal or breaks real time. */
function replay(model: Model<unknown>, ops: KeyOps, order: readonly number[]): PathStep[] | undefined {
  let state = model.init();
  let latestInvoke = Number.NEGATIVE_INFINITY;
  const seen = new Set<number>();
  const path: PathStep[] = [];
  for (const i of order) {
    const op = ops.search[i]!;
    const after = model.step(state, op);
    if (after === ILLEGAL || seen.has(i)) return undefined;
    // An op placed earlier must not have been invoked after this one returned.
    if (op.outcome === 'ok' && op.completeIndex! < latestInvoke) return undefined;
    latestInvoke = Math.max(latestInvoke, op.invokeIndex);
    seen.add(i);
    state = after;
    path.push({ op: i, state });
  }
  return path;
}
