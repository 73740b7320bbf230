/**
 * A `history` block: a long list of ops (e.g. every op on the failing key)
 * shown a page of PAGE_ROWS at a time, starting at the page with the failed
 * op, with buttons to move through it. Only the shown page is in the DOM.
 */
import { OUTCOMES, type PageHistoryBlock } from '../../page-types.js';
import type { PageContext } from '../context.js';
import { button, el } from '../dom.js';
import { secondsText } from '../format.js';

export const PAGE_ROWS = 100;

const COLUMNS = ['#', 'process', 'f', 'value', 'outcome', 'node', 'invoked', 'returned', 'latency', 'error'];

export function historyBlock(ctx: PageContext, b: PageHistoryBlock): HTMLElement {
  const box = el('div', 'history');
  if (b.caption) box.appendChild(el('p', 'muted', b.caption));
  const kept = b.index.length;
  if (kept < b.total) {
    box.appendChild(
      el(
        'div',
        'note',
        `This report keeps ops ${b.offset + 1}–${b.offset + kept} of ${b.total} (those around the failed op); history.jsonl has them all.`,
      ),
    );
  }
  if (kept === 0) {
    box.appendChild(el('p', 'muted', 'No ops to list.'));
    return box;
  }
  const pages = Math.ceil(kept / PAGE_ROWS);
  const failedRow = b.failed;
  let page = 0;
  const range = el('span', 'history-range mono');
  const first = button('First', () => show(0));
  const previous = button('Previous', () => show(page - 1));
  const next = button('Next', () => show(page + 1));
  const last = button('Last', () => show(pages - 1));
  const controls = el('div', 'history-controls', [first, previous, range, next, last]);
  if (failedRow >= 0) controls.appendChild(button('The failed op', () => show(Math.floor(failedRow / PAGE_ROWS))));
  box.appendChild(controls);

  const body = el('tbody');
  const head = el('tr');
  COLUMNS.forEach((c, i) => {
    head.appendChild(el('th', i === 0 || (i >= 6 && i <= 8) ? 'num' : null, c));
  });
  const scroller = el('div', 'history-scroll', el('table', 'history-table', [el('thead', null, head), body]));
  box.appendChild(scroller);

  /** Shows page `p` (0-based, clamped); on the failed op's page, scrolls the list to it. */
  function show(p: number): void {
    page = Math.min(pages - 1, Math.max(0, p));
    const from = page * PAGE_ROWS;
    const to = Math.min(kept, from + PAGE_ROWS);
    const rows: HTMLTableRowElement[] = [];
    for (let i = from; i < to; i++) rows.push(historyRow(ctx, b, i));
    body.replaceChildren(...rows);
    range.textContent = `ops ${b.offset + from + 1}–${b.offset + to} of ${b.total} (page ${page + 1} of ${pages})`;
    first.disabled = previous.disabled = page === 0;
    next.disabled = last.disabled = page === pages - 1;
    box.setAttribute('data-page', String(page + 1));
    box.setAttribute('data-pages', String(pages));
    scroller.scrollTop = 0;
    const failed = body.querySelector<HTMLElement>('tr[data-role="failed"]');
    // After layout (the block is not in the document yet on the first call).
    if (failed)
      requestAnimationFrame(() => {
        scroller.scrollTop = Math.max(0, failed.offsetTop - scroller.clientHeight / 2);
      });
  }
  show(failedRow >= 0 ? Math.floor(failedRow / PAGE_ROWS) : 0);
  return box;
}

/** Row `i` of the block's columns as a table row. */
function historyRow(ctx: PageContext, b: PageHistoryBlock, i: number): HTMLTableRowElement {
  const text = (t: number | undefined): string | undefined => (t === undefined || t < 0 ? undefined : b.texts[t]);
  const invoke = b.invoke[i]!;
  const complete = b.complete[i]!;
  const outcome = OUTCOMES[b.outcome[i]!] ?? 'open';
  const latency = complete < 0 || ctx.untimed ? '—' : `${((complete - invoke) / 1000).toFixed(2)} ms`;
  const cells = [
    el('td', 'num', b.offset + i + 1),
    el('td', null, text(b.process[i])),
    el('td', null, text(b.f[i])),
    el('td', 'mono', text(b.value[i])),
    el('td', outcome, outcome === 'open' ? 'never completed' : outcome),
    el('td', null, text(b.node[i]) ?? '—'),
    el('td', 'num', secondsText(invoke, ctx.untimed)),
    el('td', 'num', complete < 0 ? '—' : secondsText(complete, ctx.untimed)),
    el('td', 'num', latency),
    el('td', 'mono', text(b.error[i])),
  ];
  const tr = el('tr', null, cells);
  tr.setAttribute('data-index', String(b.index[i]));
  if (i === b.failed) tr.setAttribute('data-role', 'failed');
  else if (i === b.lastOk) tr.setAttribute('data-role', 'last-ok');
  return tr;
}
