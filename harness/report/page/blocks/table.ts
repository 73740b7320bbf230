/** A `table` block: columns whose cells are all numbers or times are right-aligned. */
import type { Block } from '../../../../checkers/view.js';
import type { PageContext } from '../context.js';
import { el } from '../dom.js';
import { cellText } from '../format.js';

type TableBlock = Extract<Block, { type: 'table' }>;

export function tableBlock(ctx: PageContext, b: TableBlock): HTMLElement {
  const wrap = el('div');
  if (b.caption) wrap.appendChild(el('p', 'muted', b.caption));
  const numeric = b.columns.map(
    (_, i) =>
      b.rows.length > 0 &&
      b.rows.every((r) => {
        const c = r[i];
        return typeof c === 'number' || (c !== null && typeof c === 'object');
      }),
  );
  const t = el('table');
  const head = el('tr');
  b.columns.forEach((h, i) => {
    head.appendChild(el('th', numeric[i] ? 'num' : null, h));
  });
  t.appendChild(el('thead', null, head));
  const body = el('tbody');
  for (const r of b.rows) {
    const tr = el('tr');
    r.forEach((c, i) => {
      tr.appendChild(el('td', numeric[i] ? 'num' : null, cellText(c, ctx.untimed)));
    });
    body.appendChild(tr);
  }
  t.appendChild(body);
  wrap.appendChild(t);
  if (b.total !== undefined && b.total > b.rows.length) {
    wrap.appendChild(el('div', 'note', `${b.total - b.rows.length} more are not listed (see results.json).`));
  }
  return wrap;
}
