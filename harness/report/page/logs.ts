/** The node logs (relative links) and the checker's full result. */
import type { PageContext } from './context.js';
import { el, section } from './dom.js';

export function renderLogs(ctx: PageContext): void {
  const { nodeLogs } = ctx.data;
  if (!nodeLogs.length) return;
  const s = section(ctx.root, 'Node logs', 'logs');
  const list = el('ul');
  for (const n of nodeLogs) {
    const item = el('li', null, [el('strong', null, n.node), ': ']);
    if (!n.files.length) item.appendChild(el('span', 'muted', 'no log files'));
    n.files.forEach((f, i) => {
      const a = el('a', null, f.split('/').pop());
      // Relative links only (page-data.ts filters them); each segment is encoded.
      a.setAttribute('href', f.split('/').map(encodeURIComponent).join('/'));
      if (i > 0) item.appendChild(document.createTextNode(', '));
      item.appendChild(a);
    });
    list.appendChild(item);
  }
  s.appendChild(list);
}

export function renderRaw(ctx: PageContext): void {
  const s = section(ctx.root, 'Checker result', 'raw');
  const details = el('details', null, el('summary', null, 'The checker’s full result (JSON)'));
  details.appendChild(el('pre', null, ctx.data.checkerJson));
  s.appendChild(details);
}
