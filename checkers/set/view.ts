/**
 * How a set result is shown: one line with the counts, and for the report a
 * table per kind of set anomaly (lost, unexpected, stale) with when each
 * element was added and last seen, read off the history.
 */

import { canonicalJson } from '../../harness/history/json.js';
import type { History, Json } from '../../harness/history/op.js';
import { pairOps } from '../../harness/history/pair.js';
import { type Block, type Cell, defineView, type ViewFaultWindow } from '../view.js';
import type { SetCheckResult } from './index.js';

/** Elements listed per kind of anomaly, at most (results.json has them all). */
const MAX_LISTED = 2000;

const MEANING = {
  lost: 'acknowledged or seen, then missing from later reads',
  unexpected: 'read, although never added (or its add definitely failed)',
  stale: 'missing from some read after it was known, then present again',
} as const;

export const setView = defineView<SetCheckResult>({
  kind: 'set',
  summary(r) {
    if (r.valid === true) return `set: ${r.acknowledgedCount} acknowledged, none lost`;
    if (r.valid === 'unknown') return `set: ${r.error ?? 'undecided'}`;
    return `set: ${r.lostCount} lost, ${r.unexpectedCount} unexpected element(s)${r.staleCount ? `, ${r.staleCount} stale` : ''}`;
  },
  sections(r, checker, ctx) {
    if (r.valid === true) return [];
    const groups = (['lost', 'unexpected', 'stale'] as const)
      .map((name) => ({ name, elements: r[name] }))
      .filter((g) => g.elements.length > 0);
    if (groups.length === 0) return [];
    const facts = elementFacts(ctx.history);
    const faults = ctx.faults ?? [];
    const blocks: Block[] = [
      {
        type: 'text',
        role: 'explain',
        text: `Set anomalies: ${groups.map((g) => `${g.elements.length} ${g.name}`).join(', ')}.`,
      },
    ];
    const lostAcknowledged = lostSentence(r.lost, facts, faults);
    if (lostAcknowledged) blocks.push({ type: 'text', role: 'explain', text: lostAcknowledged });
    const lostUnacknowledged = unacknowledgedSentence(r.lost, facts);
    if (lostUnacknowledged) blocks.push({ type: 'text', role: 'explain', text: lostUnacknowledged });
    for (const g of groups) {
      const n = g.elements.length;
      blocks.push({ type: 'text', text: `${n} ${g.name} element${n === 1 ? '' : 's'}: ${MEANING[g.name]}` });
      blocks.push({
        type: 'table',
        columns: [
          'element',
          'add invoked',
          'add acknowledged',
          'acknowledged by',
          'add outcome',
          'fault at the acknowledgement',
          'last seen in a read',
        ],
        rows: g.elements.slice(0, MAX_LISTED).map((e) => row(e, facts, faults)),
        total: n,
      });
    }
    return [{ kind: 'set', checker, title: 'Set anomalies', blocks }];
  },
});

interface ElementFacts {
  add: { invoked: number; completed: number | null; outcome: string; node?: string | undefined };
  lastSeen?: number;
}

function text(element: Json): string {
  return typeof element === 'string' ? element : canonicalJson(element);
}

function row(element: Json, facts: Map<string, Partial<ElementFacts>>, faults: readonly ViewFaultWindow[]): Cell[] {
  const f = facts.get(text(element));
  const time = (t: number | null | undefined): Cell => (t === null || t === undefined ? null : { time: t });
  const acked = f?.add?.completed;
  return [
    text(element),
    time(f?.add?.invoked),
    time(acked),
    acked === null || acked === undefined ? null : (f?.add?.node ?? null),
    f?.add ? f.add.outcome : 'never added',
    acked === null || acked === undefined ? null : faultsAt(acked, faults) || 'none',
    time(f?.lastSeen),
  ];
}

/** The fault windows open at `time`, e.g. "partition 10.2–27.3 s"; '' when none. */
function faultsAt(time: number, faults: readonly ViewFaultWindow[]): string {
  return faults
    .filter((w) => w.start <= time && (w.end === undefined || time <= w.end))
    .map((w) => `${w.fault} ${seconds(w.start)}–${w.end === undefined ? 'end' : seconds(w.end)} s`)
    .join(', ');
}

function seconds(ns: number): string {
  return (ns / 1e9).toFixed(1);
}

/**
 * One sentence on the lost elements whose adds were acknowledged: how many,
 * which nodes acknowledged them, when, and in which fault windows. Undefined
 * when no lost element was acknowledged.
 */
function lostSentence(
  lost: readonly Json[],
  facts: Map<string, Partial<ElementFacts>>,
  faults: readonly ViewFaultWindow[],
): string | undefined {
  const acks = lost
    .map((e) => facts.get(text(e))?.add)
    .filter(
      (a): a is ElementFacts['add'] & { completed: number } => a?.completed !== null && a?.completed !== undefined,
    );
  if (acks.length === 0) return undefined;
  const byNode = new Map<string, number>();
  const windows = new Map<string, number>();
  for (const a of acks) {
    const node = a.node ?? 'an unrecorded node';
    byNode.set(node, (byNode.get(node) ?? 0) + 1);
    const during = faultsAt(a.completed, faults) || 'no fault';
    windows.set(during, (windows.get(during) ?? 0) + 1);
  }
  const first = Math.min(...acks.map((a) => a.completed));
  const last = Math.max(...acks.map((a) => a.completed));
  const list = (m: Map<string, number>) => [...m].map(([k, n]) => `${k} (${n})`).join(', ');
  const n = acks.length;
  return (
    `${n} element${n === 1 ? ' was' : 's were'} acknowledged and then lost: acknowledged by ${list(byNode)} ` +
    `between ${seconds(first)} s and ${seconds(last)} s, during ${list(windows)}.`
  );
}

/**
 * One sentence on the lost elements whose adds were never acknowledged (they
 * ended info, or never ended): the store promised nothing about them, so they
 * are lost only because a read saw them and later reads did not (a read of a
 * write that did not last, e.g. from a primary that was then replaced).
 * Undefined when every lost element was acknowledged.
 */
function unacknowledgedSentence(lost: readonly Json[], facts: Map<string, Partial<ElementFacts>>): string | undefined {
  const outcomes = new Map<string, number>();
  for (const e of lost) {
    const add = facts.get(text(e))?.add;
    if (add === undefined || add.completed !== null) continue;
    outcomes.set(add.outcome, (outcomes.get(add.outcome) ?? 0) + 1);
  }
  const n = [...outcomes.values()].reduce((a, b) => a + b, 0);
  if (n === 0) return undefined;
  const how = [...outcomes].map(
    ([outcome, k]) => `${k} ${outcome === 'open' ? 'never completed' : `ended ${outcome}`}`,
  );
  return (
    `${n} of the ${lost.length} lost element${lost.length === 1 ? '' : 's'} ${n === 1 ? 'was' : 'were'} never acknowledged (${how.join(', ')}): ` +
    'no durability promise covered them; they count as lost because a read saw them and later reads did not.'
  );
}

/** For every element: its first add (when invoked, acknowledged, how it ended) and the last ok read with it. */
function elementFacts(history: History): Map<string, Partial<ElementFacts>> {
  const facts = new Map<string, Partial<ElementFacts>>();
  const entry = (element: Json): Partial<ElementFacts> => {
    const k = text(element);
    let f = facts.get(k);
    if (!f) facts.set(k, (f = {}));
    return f;
  };
  for (const op of pairOps(history, { lenient: true })) {
    if (op.f === 'add' && op.invoke.value !== undefined) {
      const f = entry(op.invoke.value);
      f.add ??= {
        invoked: op.invoke.time,
        completed: op.complete?.type === 'ok' ? op.complete.time : null,
        outcome: op.complete ? op.complete.type : 'open',
        node: op.complete?.node,
      };
    } else if (op.f === 'read' && op.complete?.type === 'ok' && Array.isArray(op.complete.value)) {
      for (const element of op.complete.value) entry(element).lastSeen = op.complete.time;
    }
  }
  return facts;
}
