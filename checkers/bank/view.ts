/**
 * How a bank result is shown: one line with the reads checked and what was
 * wrong, and for the report the error types with their first and worst
 * reads, the first wrong read's balances, and the ops around it on process
 * lanes.
 */
import { show } from '../../harness/history/json.js';
import { type Block, type DiagramOp, defineView, type ViewContext } from '../view.js';
import { BANK_ERROR_TYPES, type BankOp, type BankResult } from './index.js';

export const bankView = defineView<BankResult>({
  kind: 'bank',
  summary(r) {
    if (r.valid === true) {
      return `bank: ${r.readCount} reads, every total ${r.totalAmount}${r.allowNegativeBalances ? '' : ', no negative balance'}`;
    }
    if (r.valid === 'unknown') return `bank: ${r.error ?? 'undecided'}`;
    const counts = BANK_ERROR_TYPES.filter((t) => r.errors[t]).map((t) => `${r.errors[t]!.count} ${t}`);
    return `bank: ${r.errorCount} of ${r.readCount} reads wrong (${counts.join(', ')})`;
  },
  sections(r, checker, ctx) {
    if (r.valid !== false || !r.firstError) return [];
    const first = r.firstError;
    const blocks: Block[] = [
      { type: 'text', role: 'explain', text: `The first wrong read: ${first.explanation}.` },
      {
        type: 'table',
        columns: ['error', 'reads', 'first at op', 'worst at op', 'last at op'],
        rows: BANK_ERROR_TYPES.filter((t) => r.errors[t]).map((t) => {
          const g = r.errors[t]!;
          return [t, g.count, g.first.op.completeIndex, g.worst.op.completeIndex, g.last.op.completeIndex];
        }),
      },
      {
        type: 'table',
        caption: `Balances in the first wrong read (the total should be ${r.totalAmount}):`,
        columns: ['account', 'balance'],
        rows: Object.entries((first.op.value ?? {}) as Record<string, unknown>).map(([a, b]) => [a, show(b as never)]),
      },
      {
        type: 'ops',
        ops: first.around.map((op) => diagramOp(op, first.op, ctx)),
        paths: [],
        legend: 'The wrong read (highlighted), the ops that ran concurrently with it and the last ones before it.',
      },
    ];
    return [{ kind: 'bank', checker, title: 'Bank: wrong reads', blocks }];
  },
});

function diagramOp(op: BankOp, wrong: BankOp, ctx: Pick<ViewContext, 'timeOf'>): DiagramOp {
  const text =
    op.f === 'transfer' && op.value !== null && typeof op.value === 'object' && !Array.isArray(op.value)
      ? `transfer ${show(op.value.amount ?? null)} ${show(op.value.from ?? null)}→${show(op.value.to ?? null)}`
      : `read${op.outcome === 'ok' ? ` ${show(op.value)}` : ''}`;
  return {
    id: String(op.invokeIndex),
    process: String(op.process),
    text,
    invoke: { index: op.invokeIndex, time: ctx.timeOf(op.invokeIndex) },
    complete: op.completeIndex === null ? null : { index: op.completeIndex, time: ctx.timeOf(op.completeIndex) },
    indeterminate: op.outcome === 'info' || op.outcome === 'open',
    role: op.invokeIndex === wrong.invokeIndex ? 'failed' : 'other',
  };
}
