/** The header: name, verdict banner, the run's facts and the op counts per f. */
import type { Verdict } from '../page-types.js';
import type { PageContext } from './context.js';
import { el, table } from './dom.js';

const MARKS: Record<Verdict, string> = { valid: '✓', invalid: '✗', unknown: '?' };

export function renderHeader(ctx: PageContext): void {
  const { meta, counts, elided } = ctx.data;
  const head = el('header');
  head.appendChild(el('h1', null, meta.name));
  const banner = el('div', `verdict ${meta.verdict}`, [
    el('span', 'mark', MARKS[meta.verdict]),
    el('span', 'word', meta.verdict),
    el('span', null, meta.headline),
  ]);
  banner.id = 'verdict';
  banner.setAttribute('data-verdict', meta.verdict);
  head.appendChild(banner);

  const grid = el('div', 'grid2');
  const facts = table(['', ''], meta.rows);
  facts.id = 'facts';
  grid.appendChild(facts);
  const rows = counts.map((c) => [
    c.f,
    el('span', 'ok', c.ok),
    el('span', 'fail', c.fail),
    el('span', 'info', c.info),
    el('span', 'open', c.open),
  ]);
  const countsBox = el('div', null, table(['f', 'ok', 'fail', 'info', 'never completed'], rows, 1));
  countsBox.id = 'counts';
  grid.appendChild(countsBox);
  head.appendChild(grid);

  for (const w of meta.warnings) head.appendChild(el('div', 'warn', `Warning: ${w}`));
  for (const e of elided) head.appendChild(el('div', 'note', e));
  ctx.root.appendChild(head);
}
