/**
 * Turns a finished search into evidence for a person: op summaries, the
 * partial linearizations that got furthest, and why the next op cannot follow.
 */
import type { Json } from '../../harness/history/op.js';
import type { PairedOp } from '../../harness/history/pair.js';
import type { Model, ModelOp } from '../models/model.js';
import type { KeyFailure, OpSummary, PartialLinearization } from './result.js';
import { type Frame, KeySearch, type SearchOp } from './search.js';

/** A key's ops as the search sees them, with the paired ops they came from. */
export interface KeyOps {
  key: Json | undefined;
  search: SearchOp[];
  paired: PairedOp[];
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

/** The partial linearization ending at `top`: its last MAX_PARTIAL_STEPS steps and the state before them. */
export function partialOf(
  model: Model<unknown>,
  ops: KeyOps,
  top: Frame | undefined,
  initialState: unknown,
): PartialLinearization {
  const frames = KeySearch.opsOf(top);
  const omitted = Math.max(0, frames.length - MAX_PARTIAL_STEPS);
  const before = omitted === 0 ? initialState : frames[omitted - 1]!.state;
  return {
    steps: frames.slice(omitted).map((frame) => ({
      op: summarize(model, ops.paired[frame.op]!, ops.search[frame.op]!),
      state: model.stateJson(frame.state),
      stateText: model.describeState(frame.state),
    })),
    omittedSteps: omitted,
    stateBefore: model.stateJson(before),
  };
}

const keyPrefix = (key: Json | undefined): string => (key === undefined ? '' : `key ${JSON.stringify(key)}: `);

/** Evidence for an invalid key. Call only after `search.run` returned 'invalid'. */
export function keyFailure(model: Model<unknown>, ops: KeyOps, search: KeySearch): KeyFailure {
  const first = search.deadEnds[0] ?? { top: search.deepest, blockedBy: firstOkOp(ops) };
  const blocked = first.blockedBy;
  const ends = search.deadEnds.filter((d) => d.blockedBy === blocked);
  const partials = (ends.length > 0 ? ends : [first]).map((d) => partialOf(model, ops, d.top, search.initialState));
  const frames = KeySearch.opsOf(first.top);
  const lastOk = [...frames].reverse().find((f) => ops.search[f.op]!.outcome === 'ok');
  const failed = ops.search[blocked]!;
  const state = first.top === undefined ? search.initialState : first.top.state;
  const why = model.whyIllegal(state, failed);
  const lastFrame = frames[frames.length - 1];
  const explanation =
    lastFrame === undefined
      ? `${keyPrefix(ops.key)}${model.describeOp(failed)} cannot be the first op: ${why}`
      : `${keyPrefix(ops.key)}${model.describeOp(failed)} cannot follow ${model.describeOp(ops.search[lastFrame.op]!)}: ${why}`;
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
