/**
 * How a transactional result (list-append, rw-register) is shown: one line
 * with the anomaly types and the models they rule out, and in the report a
 * section per anomaly type. Each case gets its explanation; a cycle is
 * drawn as a small graph (transactions as nodes, edges labelled "ww x",
 * "rw y", "rt"), and the transactions involved are listed with their
 * micro-ops. Sizes are capped: a few cases per type (results.json has the
 * rest, and every count).
 */
import { show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import type { Block, Cell, ReportSection, ResultView, ViewContext } from '../view.js';
import { CYCLE_MEANING, isCycleType, splitCycleType, VARIANT_MEANING } from './cycle-types.js';
import { shortEdgeLabel } from './explain.js';
import type { AnomalyCase, NamedTxn, TxnResultFields } from './result.js';

/** Cases drawn per anomaly type. */
const DRAWN_CASES = 5;
/** Transactions listed per case. */
const LISTED_TXNS = 20;

/** What the non-cycle anomalies mean. */
const MEANING: Record<string, string> = {
  G1a: 'aborted read: a transaction saw a write of a transaction that failed',
  G1b: 'intermediate read: a transaction saw a state another transaction overwrote before committing',
  internal: 'a transaction disagreed with its own earlier reads and writes',
  'future-read': 'a transaction saw a write it made only later',
  'dirty-update': 'a committed write was made on top of a failed one',
  'lost-update': 'transactions read the same version of a key and each wrote it, so some writes were lost',
  'duplicate-elements': 'a read showed an element more than once',
  'incompatible-order': 'two reads of a key showed orders of appends that cannot both be true',
  'cyclic-versions': 'the inferred version order of a key is cyclic',
  'empty-transaction-graph': 'no dependency between transactions could be inferred: nothing to check',
  'cycle-search-timeout': 'the search stopped before it finished (budget)',
};

export function meaningOf(type: string): string {
  if (isCycleType(type)) {
    const { base, variant } = splitCycleType(type);
    // One phrase (callers end it): "...(read skew); it needs real-time order: ...".
    const needs = VARIANT_MEANING[variant].replace(/\.$/, '');
    return needs ? `${CYCLE_MEANING[base]}; ${needs.charAt(0).toLowerCase()}${needs.slice(1)}` : CYCLE_MEANING[base];
  }
  if (type.endsWith('-cycle-exists')) return 'a cycle the model forbids exists (the search did not name it)';
  return MEANING[type] ?? type;
}

/** The view of a transactional result kind. */
export function txnView<R extends TxnResultFields>(kind: R['kind']): ResultView<R> {
  return {
    kind,
    summary(r) {
      if (r.valid === true) {
        const holds = `${kind}: ${r.consistencyModels.join(', ') || 'no anomaly asked for'} holds (${r.stats.txns} transactions)`;
        // With reportAll, what the models allow is still found and named.
        if (r.anomalyTypes.length === 0) return holds;
        const not = r.not.length > 0 ? `: not ${r.not.join(', ')}` : '';
        return `${holds}; also found ${r.anomalyTypes.join(', ')}${not}`;
      }
      const not = r.not.length > 0 ? `: not ${r.not.join(', ')}` : '';
      if (r.valid === 'unknown') return `${kind}: unknown (${r.anomalyTypes.join(', ') || r.error})`;
      return `${kind}: ${r.anomalyTypes.join(', ')}${not}`;
    },
    sections(r, checker, ctx) {
      if (r.valid === true && r.anomalyTypes.length === 0) return [];
      return [overview(r, checker), ...r.anomalyTypes.map((type) => typeSection(r, type, checker, ctx))];
    },
  };
}

function overview(r: TxnResultFields, checker: string): ReportSection {
  const blocks: Block[] = [{ type: 'text', role: 'explain', text: overviewText(r) }];
  blocks.push({
    type: 'table',
    columns: ['anomaly', 'found', 'what it is'],
    rows: r.anomalyTypes.map((t) => [t, r.anomalies[t]?.count ?? 0, meaningOf(t)]),
  });
  for (const warning of r.warnings) blocks.push({ type: 'text', role: 'note', text: warning });
  const s = r.stats;
  const edges = Object.entries(s.edges)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const components = `${s.components} cyclic component${s.components === 1 ? '' : 's'}`;
  blocks.push({
    type: 'text',
    role: 'note',
    text:
      `${s.txns} transactions (${s.ok} ok, ${s.info} info, ${s.fail} failed) on ${s.keys} keys; dependency graph: ` +
      `${edges} edges, ${components} (largest ${s.largestComponent}); checked in ${Math.round(s.elapsedMs)} ms.`,
  });
  return { kind: 'txn-overview', checker, title: 'Transactional anomalies', blocks };
}

function overviewText(r: TxnResultFields): string {
  const models = r.consistencyModels.length > 0 ? r.consistencyModels.join(', ') : 'the anomalies asked for';
  if (r.valid === 'unknown') return `Checked against ${models}: undecided. ${r.error ?? ''}`.trim();
  const also = r.alsoNot.length > 0 ? ` (and so neither ${r.alsoNot.join(', ')})` : '';
  if (r.valid === true) {
    return (
      `Checked against ${models}: it holds. The history still has ${r.anomalyTypes.join(', ')}, which ` +
      `${models} allows: it is not ${r.not.join(', ')}${also}.`
    );
  }
  return `Checked against ${models}: the history has ${r.anomalyTypes.join(', ')}. It is not ${r.not.join(', ')}${also}.`;
}

function typeSection(r: TxnResultFields, type: string, checker: string, ctx: ViewContext): ReportSection {
  const group = r.anomalies[type]!;
  const blocks: Block[] = [{ type: 'text', text: `${group.count} found: ${meaningOf(type)}.` }];
  const drawn = group.cases.slice(0, DRAWN_CASES);
  if (group.count > drawn.length) {
    blocks.push({
      type: 'text',
      role: 'note',
      text: `Showing ${drawn.length} of ${group.count}${group.cases.length < group.count ? ` (results.json keeps ${group.cases.length})` : ''}.`,
    });
  }
  drawn.forEach((c, i) => {
    blocks.push(...caseBlocks(c, i, ctx));
  });
  return { kind: type, checker, title: `${type} (${group.count})`, blocks };
}

function caseBlocks(c: AnomalyCase, i: number, ctx: ViewContext): Block[] {
  const blocks: Block[] = [];
  if (c.steps && c.steps.length > 0) {
    blocks.push({
      type: 'graph',
      nodes: c.txns.map((t) => ({ id: t.name, label: t.name, detail: mopsText(t.mops) })),
      edges: c.steps.map((s) => ({ from: s.from, to: s.to, label: shortEdgeLabel(s), detail: s.text })),
    });
  }
  blocks.push({ type: 'text', role: 'explain', text: `${i + 1}. ${c.explanation}` });
  if (c.txns.length > 0) {
    blocks.push({
      type: 'table',
      columns: ['', 'process', 'outcome', 'invoked', 'completed', 'ops', 'micro-ops'],
      rows: c.txns.slice(0, LISTED_TXNS).map((t) => txnRow(t, ctx)),
      total: c.txns.length,
    });
  }
  return blocks;
}

function txnRow(t: NamedTxn, ctx: ViewContext): Cell[] {
  const at = (index: number | null): Cell => (index === null ? null : { time: ctx.timeOf(index) });
  return [
    t.name,
    String(t.process),
    t.status,
    at(t.invokeIndex),
    at(t.completeIndex),
    t.completeIndex === null ? `${t.invokeIndex}` : `${t.invokeIndex}–${t.completeIndex}`,
    mopsText(t.mops),
  ];
}

/** Micro-ops as Elle prints them: "append x 3, r y [1 2]". */
export function mopsText(mops: readonly Json[]): string {
  return mops
    .map((m) => (Array.isArray(m) ? m.map((part, i) => (i === 0 ? String(part) : showPart(part))).join(' ') : show(m)))
    .join(', ');
}

const showPart = (v: Json): string => (Array.isArray(v) ? `[${v.map(showPart).join(' ')}]` : show(v));
