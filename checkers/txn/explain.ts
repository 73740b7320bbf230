/**
 * Plain-words explanations of cycles. Each checker explains its own data
 * edges (it knows what a version is: an element of a list, a register
 * value); the real-time and process edges are explained here from the
 * history positions. The cycle's transactions are named T1, T2, ... in
 * cycle order, so the text reads in the order of the arrows.
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { CYCLE_MEANING, splitCycleType, VARIANT_MEANING } from './cycle-types.js';
import { KIND_NAMES, PROCESS, RT } from './kinds.js';
import type { AnomalyCase, CycleStep, NamedTxn } from './result.js';
import type { FoundCycle } from './search.js';
import { type Txns, txnRef } from './txns.js';

/** Why a data edge is there: the key, the micro-ops and the sentence. */
export interface EdgeReason {
  key: Json;
  fromMop: number;
  toMop: number;
  text: string;
}

/**
 * Explains a ww, wr or rw edge from → to, naming transactions with `name`.
 * Returns undefined when the checker cannot justify the edge (a bug: every
 * edge it adds has a reason).
 */
export type EdgeExplainer = (
  kind: number,
  from: number,
  to: number,
  name: (t: number) => string,
) => EdgeReason | undefined;

/** The case for a cycle: its transactions, each edge with its reason, and the whole in words. */
export function explainCycle(cycle: FoundCycle, txns: Txns, explainer: EdgeExplainer): AnomalyCase {
  const names = new Map(cycle.nodes.map((t, i) => [t, `T${i + 1}`]));
  const name = (t: number): string => names.get(t) ?? `the transaction invoked at op ${txns.invokeIndex[t]}`;
  const steps: CycleStep[] = cycle.nodes.map((from, i) => {
    const to = cycle.nodes[(i + 1) % cycle.nodes.length]!;
    const kind = cycle.kinds[i]!;
    const base = { from: name(from), to: name(to), kind: KIND_NAMES[kind]! };
    if (kind === RT) return { ...base, text: realtimeReason(txns, from, to, name) };
    if (kind === PROCESS) return { ...base, text: processReason(txns, from, to, name) };
    const reason = explainer(kind, from, to, name);
    if (!reason) return { ...base, text: `${name(from)} → ${name(to)} (${base.kind}): no reason recorded` };
    return { ...base, key: reason.key, fromMop: reason.fromMop, toMop: reason.toMop, text: reason.text };
  });
  const txnList: NamedTxn[] = cycle.nodes.map((t) => ({ name: name(t), ...txnRef(txns, t) }));
  return { explanation: cycleSentence(cycle.type, steps), txns: txnList, steps };
}

function cycleSentence(type: string, steps: CycleStep[]): string {
  const { base, variant } = splitCycleType(type);
  const meaning = `${type}, ${CYCLE_MEANING[base]}.${VARIANT_MEANING[variant] ? ` ${VARIANT_MEANING[variant]}` : ''}`;
  const why = steps.map((s) => `${s.from} → ${s.to} (${edgeLabel(s)}): ${s.text}`);
  const before = steps.map((s) => `${s.from} before ${s.to}`);
  return `${meaning} ${why.join('; ')}. So ${list(before)}: no order of these transactions explains what they observed.`;
}

/** "ww x", "rw key 1", "rt" (in prose). */
export function edgeLabel(step: Pick<CycleStep, 'kind' | 'key'>): string {
  return step.key === undefined ? step.kind : `${step.kind} ${keyName(step.key)}`;
}

/** "ww x", "rw 1", "rt": short, for a graph's arrows. */
export function shortEdgeLabel(step: Pick<CycleStep, 'kind' | 'key'>): string {
  return step.key === undefined ? step.kind : `${step.kind} ${show(step.key)}`;
}

/** A key as the explanations name it: a string as itself ("x"), anything else as "key 1". */
export function keyName(key: Json): string {
  return typeof key === 'string' && key !== '' ? key : `key ${show(key)}`;
}

function realtimeReason(txns: Txns, from: number, to: number, name: (t: number) => string): string {
  return (
    `${name(from)} completed (op ${txns.okIndex[from]}) before ${name(to)} was invoked ` +
    `(op ${txns.invokeIndex[to]})`
  );
}

function processReason(txns: Txns, from: number, to: number, name: (t: number) => string): string {
  return `${name(to)} is the next transaction process ${String(txns.process[from])} ran after ${name(from)}`;
}

/** "T1, T2 and T3". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A list as a short text: "[1, 2, 3]", or "[1, 2, .., 8, 9, 10]" when long. */
export function showList(values: readonly Json[]): string {
  const items = values.map((v) => show(v));
  if (items.length <= 12) return `[${items.join(', ')}]`;
  return `[${items.slice(0, 3).join(', ')}, .., ${items.slice(-5).join(', ')}]`;
}

/** The last elements of a list, for a step that is about its end: "[.., 7, 8]" (the whole list when short). */
export function showTail(values: readonly Json[], keep = 4): string {
  if (values.length <= keep) return showList(values);
  return `[.., ${values
    .slice(-keep)
    .map((v) => show(v))
    .join(', ')}]`;
}
