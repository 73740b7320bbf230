/**
 * How a linearizability result is shown: one line, and for the report the
 * ops around the failure on process lanes with the partial linearizations
 * that got furthest (or, when undecided, how far the search got).
 */
import { canonicalJson } from '../../harness/history/json.js';
import type { History, Json } from '../../harness/history/op.js';
import { type Operation, pairOps } from '../../harness/history/pair.js';
import { historyRows } from '../history-rows.js';
import type { Model } from '../models/model.js';
import { getModel } from '../models/registry.js';
import {
  type Block,
  type DiagramOp,
  type DiagramPath,
  defineView,
  type ReportSection,
  type ViewContext,
} from '../view.js';
import type { KeyFailure, LinearizableResult, LinearizationStep, OpSummary, PartialLinearization } from './result.js';

/** Steps of a path listed (and drawn); earlier ones are counted, not listed. */
const LISTED_STEPS = 200;
/** Ops concurrent with the failed one that are drawn (those invoked nearest to it). */
const DRAWN_CONCURRENT = 24;
/** Ops of the failing key listed, at most (those nearest the failed op); the report may keep fewer. */
const LISTED_HISTORY = 20_000;

const keyText = (key: Json | undefined): string => (key === undefined ? '' : `key ${JSON.stringify(key)}`);

/**
 * The op in words with the node that served it: "read 3 from n5", "write 2 on n1".
 * A read's value came from the node; anything else was done on it.
 */
function opWords(op: OpSummary): string {
  if (op.node === undefined) return op.text;
  return `${op.text} ${op.f === 'read' || op.f === 'get' ? 'from' : 'on'} ${op.node}`;
}

/** The checker's explanation without its leading "key K: " (the section's title names the key once). */
function withoutKey(failure: KeyFailure): string {
  const prefix = failure.key === undefined ? '' : `${keyText(failure.key)}: `;
  return prefix && failure.explanation.startsWith(prefix)
    ? failure.explanation.slice(prefix.length)
    : failure.explanation;
}

export const linearizableView = defineView<LinearizableResult>({
  kind: 'linearizable',
  summary(result) {
    if (result.valid === true) return `linearizable (${result.opsChecked} ops, ${result.keys} keys)`;
    if (result.valid === 'unknown') return `linearizability undecided: ${result.error}`;
    return `not linearizable: ${result.failure.explanation}`;
  },
  sections(result, checker, ctx) {
    if (result.valid === true) return [];
    if (result.valid === false) return [failureSection(result.failure, result.model, checker, ctx)];
    const furthest = result.furthest.slice(0, 20);
    const blocks: Block[] = [
      {
        type: 'text',
        role: 'explain',
        text: `Undecided: ${result.error}. The search neither found a linearization nor proved there is none.`,
      },
      {
        type: 'table',
        columns: ['key', 'ops linearized', 'of'],
        rows: furthest.map((f) => [f.key === undefined ? '(the only key)' : JSON.stringify(f.key), f.linearized, f.of]),
        total: result.furthest.length,
      },
    ];
    const withPath = furthest.find((f) => f.partial !== undefined && f.partial.steps.length > 0);
    if (withPath?.partial) {
      const { steps, omitted } = listedSteps(withPath.partial, 30);
      const where = withPath.key === undefined ? '' : ` (${keyText(withPath.key)})`;
      blocks.push({ type: 'steps', caption: `The furthest partial linearization${where}:`, steps, omitted });
    }
    return [{ kind: 'undecided', checker, title: 'Undecided', blocks }];
  },
});

type TimeOf = ViewContext['timeOf'];

function failureSection(failure: KeyFailure, model: string, checker: string, ctx: ViewContext): ReportSection {
  const { failedOp, partials } = failure;
  const timeOf = ctx.timeOf;
  const best = partials[0];
  const last = best?.steps.at(-1);
  const on = failure.key === undefined ? '' : ` on ${keyText(failure.key)}`;
  const sentence =
    `Not linearizable (model ${model}). Process ${String(failedOp.process)}'s ${opWords(failedOp)} cannot be placed: ` +
    (last && best
      ? `every order of the ops before it that the checker could build — the longest has ${best.steps.length} steps, ` +
        `ending with the model in state “${last.stateText}” — leaves no legal place for it; `
      : 'no op can be linearized before it; ') +
    withoutKey(failure);
  const ops = drawnOps(failure, timeOf);
  const blocks: Block[] = [{ type: 'text', role: 'explain', text: sentence }];
  const concurrent = failure.concurrentTotal ?? failure.concurrent.length;
  if (concurrent > DRAWN_CONCURRENT) {
    blocks.push({
      type: 'text',
      role: 'note',
      text: `Drawing the ${DRAWN_CONCURRENT} of the ${concurrent} ops concurrent with the failed one that are nearest to it.`,
    });
  }
  blocks.push({
    type: 'ops',
    ops,
    paths: partials.map((p, i) => pathOf(p, i, failure)),
    legend: 'numbered dots: the order of the selected partial linearization',
  });
  blocks.push(keyHistoryBlock(failure, model, ctx));
  return { kind: 'linearizable', checker, title: `Not linearizable${on}`, blocks };
}

function diagramOp(op: OpSummary, role: DiagramOp['role'], timeOf: TimeOf): DiagramOp {
  return {
    id: String(op.invokeIndex),
    process: String(op.process),
    text: opWords(op),
    invoke: { index: op.invokeIndex, time: timeOf(op.invokeIndex) },
    complete: op.completeIndex === undefined ? null : { index: op.completeIndex, time: timeOf(op.completeIndex) },
    indeterminate: op.outcome === 'info',
    role,
    node: op.node,
  };
}

/** The failed op, the last ok op, the nearest concurrent ops and the last steps of every path. */
function drawnOps(failure: KeyFailure, timeOf: TimeOf): DiagramOp[] {
  const byId = new Map<string, DiagramOp>();
  const add = (op: OpSummary | undefined, role: DiagramOp['role'] = 'other'): void => {
    if (op && !byId.has(String(op.invokeIndex))) byId.set(String(op.invokeIndex), diagramOp(op, role, timeOf));
  };
  add(failure.failedOp, 'failed');
  add(failure.lastOkOp, 'last-ok');
  const distance = (op: OpSummary): number => Math.abs(op.invokeIndex - failure.failedOp.invokeIndex);
  for (const op of [...failure.concurrent].sort((a, b) => distance(a) - distance(b)).slice(0, DRAWN_CONCURRENT))
    add(op);
  for (const p of failure.partials) for (const step of p.steps.slice(-10)) add(step.op);
  return [...byId.values()];
}

function stepText(step: LinearizationStep): { op: string; text: string; detail: string } {
  const open = step.op.outcome === 'info' ? ' (indeterminate)' : '';
  return {
    op: String(step.op.invokeIndex),
    text: `process ${String(step.op.process)}: ${opWords(step.op)}${open}`,
    detail: step.stateText,
  };
}

function listedSteps(partial: PartialLinearization, max: number) {
  const from = Math.max(0, partial.steps.length - max);
  return { steps: partial.steps.slice(from).map(stepText), omitted: from + (partial.omittedSteps ?? 0) };
}

function pathOf(partial: PartialLinearization, i: number, failure: KeyFailure): DiagramPath {
  const { steps, omitted } = listedSteps(partial, LISTED_STEPS);
  const n = partial.steps.length + (partial.omittedSteps ?? 0);
  const f = failure.failedOp;
  return {
    label: `Path ${i + 1}: ${n} step${n === 1 ? '' : 's'}`,
    caption:
      n === 0
        ? 'No op could be linearized before the failing one.'
        : 'Partial linearization, step by step (the model state after each op):',
    steps,
    omitted,
    end: `✗ process ${String(f.process)}${f.node === undefined ? '' : ` via ${f.node}`}: ${withoutKey(failure)}`,
  };
}

/** Every op on the failing key (the model's partition of the history), the failed and last ok ops marked. */
function keyHistoryBlock(failure: KeyFailure, modelName: string, ctx: ViewContext): Block {
  const ops = keyOps(ctx.history, failure.key, modelOrUndefined(modelName));
  const failedAt = Math.max(
    0,
    ops.findIndex((op) => op.invoke.index === failure.failedOp.invokeIndex),
  );
  const offset = Math.min(
    Math.max(0, failedAt - Math.floor(LISTED_HISTORY / 2)),
    Math.max(0, ops.length - LISTED_HISTORY),
  );
  const roles = new Map<number, 'failed' | 'last-ok'>([[failure.failedOp.invokeIndex, 'failed']]);
  if (failure.lastOkOp) roles.set(failure.lastOkOp.invokeIndex, 'last-ok');
  const where = failure.key === undefined ? '' : ` on ${keyText(failure.key)}`;
  return {
    type: 'history',
    caption: `Every op${where}, in the order they were invoked (failed and indeterminate ones too):`,
    rows: historyRows(ops.slice(offset, offset + LISTED_HISTORY), ctx.timeOf, roles),
    total: ops.length,
    offset,
  };
}

/** The model, to split the history by key as the checker did; undefined for a model this process does not know. */
function modelOrUndefined(name: string): Model<unknown> | undefined {
  try {
    return getModel(name);
  } catch {
    return undefined;
  }
}

/** The client ops whose key (by the model's partition, else op.key) is `key`; all of them when `key` is undefined. */
function keyOps(history: History, key: Json | undefined, model: Model<unknown> | undefined): Operation[] {
  const ops = pairOps(history, { lenient: true });
  if (key === undefined) return ops;
  const wanted = canonicalJson(key);
  return ops.filter(({ f, invoke }) => {
    let k: Json | undefined = invoke.key;
    try {
      if (model?.partition) k = model.partition({ f, value: invoke.value, outcome: 'ok', key: invoke.key });
    } catch {
      // An op the model cannot place: keep op.key.
    }
    return k !== undefined && canonicalJson(k) === wanted;
  });
}
