/**
 * Turns a finished search (or the unique-value fast path) into evidence for
 * a person: op summaries, the partial linearizations that got furthest, and
 * why the next op cannot follow.
 */
import type { Json } from '../../harness/history/op.js';
import type { PairedOp } from '../../harness/history/pair.js';
import type { Model, ModelOp } from '../models/model.js';
import type { KeyFailure, OpSummary, PartialLinearization } from './result.js';
import { KeySearch, type SearchOp } from './search.js';

/** A key's ops as the search sees them, with the paired ops they came from. */
export interface KeyOps {
  key: Json | undefined;
  search: SearchOp[];
  paired: PairedOp[];
}

/** One step of a partial linearization: the op (its index in the key's ops) and the model state after it. */
export interface PathStep {
  op: number;
  state: unknown;
}

export function summarize(model: Model<unknown>, op: PairedOp, seen: ModelOp): OpSummary {
  return {
    invokeIndex: op.invokeIndex,
    completeIndex: op.completeIndex,
    process: op.process,
    f: op.f,
    value: op.value,
    ...(op.key !== undefined ? { key: op.key } : {}),
    outcome: op.outcome,
    invokeTime: op.invokeTime,
    completeTime: op.completeTime,
    text: model.describeOp(seen),
    ...(op.node !== undefined ? { node: op.node } : {}),
  };
}

/** Longest tail of a partial linearization given as evidence (the head is summed up by its state). */
export const MAX_PARTIAL_STEPS = 200;
/** Most concurrent ops listed. */
export const MAX_CONCURRENT = 100;

/** The partial linearization `path`: its last MAX_PARTIAL_STEPS steps and the state before them. */
export function partialOf(
  model: Model<unknown>,
  ops: KeyOps,
  path: readonly PathStep[],
  initialState: unknown,
): PartialLinearization {
  const omitted = Math.max(0, path.length - MAX_PARTIAL_STEPS);
  const before = omitted === 0 ? initialState : path[omitted - 1]!.state;
  return {
    steps: path.slice(omitted).map((step) => ({
      op: summarize(model, ops.paired[step.op]!, ops.search[step.op]!),
      state: model.stateJson(step.state),
      stateText: model.describeState(step.state),
    })),
    omittedSteps: omitted,
    stateBefore: model.stateJson(before),
  };
}

const keyPrefix = (key: Json | undefined): string => (key === undefined ? '' : `key ${JSON.stringify(key)}: `);

/** Evidence for an invalid key. Call only after `search.run` returned 'invalid'. */
export function searchFailure(model: Model<unknown>, ops: KeyOps, search: KeySearch): KeyFailure {
  const first = search.deadEnds[0] ?? { top: search.deepest, blockedBy: firstOkOp(ops) };
  const blocked = first.blockedBy;
  const ends = search.deadEnds.filter((d) => d.blockedBy === blocked);
  const paths = (ends.length > 0 ? ends : [first]).map((d) => KeySearch.opsOf(d.top));
  return keyFailure(model, ops, paths, blocked, search.initialState);
}

/**
 * Evidence for an invalid key: `paths` are partial linearizations (the
 * furthest first) after which op `blocked` cannot go.
 */
export function keyFailure(
  model: Model<unknown>,
  ops: KeyOps,
  paths: readonly (readonly PathStep[])[],
  blocked: number,
  initialState: unknown,
): KeyFailure {
  const path = paths[0] ?? [];
  const partials = (paths.length > 0 ? paths : [path]).map((p) => partialOf(model, ops, p, initialState));
  const lastOk = [...path].reverse().find((step) => ops.search[step.op]!.outcome === 'ok');
  const failed = ops.search[blocked]!;
  const last = path[path.length - 1];
  const why = model.whyIllegal(last === undefined ? initialState : last.state, failed);
  const explanation =
    last === undefined
      ? `${keyPrefix(ops.key)}${model.describeOp(failed)} cannot be the first op: ${why}`
      : `${keyPrefix(ops.key)}${model.describeOp(failed)} cannot follow ${model.describeOp(ops.search[last.op]!)}: ${why}`;
  const end = (op: SearchOp): number => op.completeIndex ?? Number.POSITIVE_INFINITY;
  const overlapping = ops.search
    .map((op, i) => ({ op, i }))
    .filter(({ op, i }) => i !== blocked && op.invokeIndex < end(failed) && failed.invokeIndex < end(op));
  const concurrent = [...overlapping]
    .sort((a, b) => Math.abs(a.op.invokeIndex - failed.invokeIndex) - Math.abs(b.op.invokeIndex - failed.invokeIndex))
    .slice(0, MAX_CONCURRENT)
    .sort((a, b) => a.op.invokeIndex - b.op.invokeIndex)
    .map(({ i }) => summarize(model, ops.paired[i]!, ops.search[i]!));
  return {
    key: ops.key,
    failedOp: summarize(model, ops.paired[blocked]!, failed),
    lastOkOp: lastOk === undefined ? undefined : summarize(model, ops.paired[lastOk.op]!, ops.search[lastOk.op]!),
    partials,
    concurrent,
    ...(overlapping.length > concurrent.length ? { concurrentTotal: overlapping.length } : {}),
    explanation,
  };
}

function firstOkOp(ops: KeyOps): number {
  const i = ops.search.findIndex((op) => op.outcome === 'ok');
  return Math.max(i, 0);
}
