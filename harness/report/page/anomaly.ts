/**
 * The anomaly area: the sections each checker's view made of blocks
 * (checkers/view.ts). The page draws every block type the same way whatever
 * checker made it; it knows no checker.
 */
import type { PageBlock } from '../page-types.js';
import { graphBlock } from './blocks/graph.js';
import { historyBlock } from './blocks/history.js';
import { opsBlock } from './blocks/ops.js';
import { stepsBlock } from './blocks/steps.js';
import { tableBlock } from './blocks/table.js';
import type { PageContext } from './context.js';
import { el, section } from './dom.js';

export function renderAnomalies(ctx: PageContext): void {
  const { sections, meta } = ctx.data;
  const s = section(ctx.root, 'The anomaly', 'anomaly');
  if (sections.length === 0) {
    s.appendChild(
      el(
        'p',
        'muted',
        meta.verdict === 'valid'
          ? 'None: the checker accepted the history.'
          : 'The checker result carries no evidence this report knows how to draw; its full result is at the end of the page.',
      ),
    );
    return;
  }
  // In a composition (linearizable + session, say) each title also names the checker that found it.
  const severalCheckers = new Set(sections.map((sec) => sec.checker)).size > 1;
  for (const sec of sections) {
    const box = el('div', 'anomaly');
    box.setAttribute('data-kind', sec.kind);
    box.appendChild(el('h3', null, severalCheckers ? `${sec.title} (${sec.checker})` : sec.title));
    for (const b of sec.blocks) box.appendChild(renderBlock(ctx, b));
    s.appendChild(box);
  }
}

/** One block. A block type this page does not know (from a newer faultline) gets a note, not an error. */
function renderBlock(ctx: PageContext, b: PageBlock): HTMLElement {
  switch (b.type) {
    case 'text':
      return b.role === 'explain' ? el('p', 'explain', b.text) : el('div', b.role === 'note' ? 'note' : null, b.text);
    case 'table':
      return tableBlock(ctx, b);
    case 'steps':
      return stepsBlock(b);
    case 'ops':
      return opsBlock(ctx, b);
    case 'graph':
      return graphBlock(ctx, b);
    case 'history':
      return historyBlock(ctx, b);
    case 'json':
      return el('pre', 'raw', JSON.stringify(b.value, null, 2));
    default:
      return unknownBlock(b);
  }
}

/** Type-checked to be unreachable: a block type added to checkers/view.ts but not drawn here fails the build. */
function unknownBlock(b: never): HTMLElement {
  const type = (b as { type?: unknown }).type;
  return el('div', 'note', `A part of this result cannot be drawn by this report (${String(type)}).`);
}
