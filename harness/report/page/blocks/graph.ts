/**
 * A `graph` block: a small directed graph (e.g. a cycle of transactions),
 * nodes on a circle, edges bent a little and labelled. The drawing's box is
 * fitted to every node and label, so none is cut off.
 */
import type { Block } from '../../../../checkers/view.js';
import { diagramWidth, type PageContext } from '../context.js';
import { el, svg } from '../dom.js';
import { textWidth } from '../measure.js';

type GraphBlock = Extract<Block, { type: 'graph' }>;

export function graphBlock(ctx: PageContext, b: GraphBlock): HTMLElement {
  const n = b.nodes.length;
  const W = Math.min(900, Math.max(360, diagramWidth(ctx)));
  const H = Math.max(300, Math.min(520, 160 + n * 40));
  const cx = W / 2;
  const cy = H / 2;
  const r = Math.min(W, H) / 2 - 60;
  const pos = new Map<string, { x: number; y: number }>();
  b.nodes.forEach((node, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    pos.set(node.id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
  });
  const bounds = { x0: 0, y0: 0, x1: W, y1: H };
  const include = (x0: number, y0: number, x1: number, y1: number): void => {
    bounds.x0 = Math.min(bounds.x0, x0);
    bounds.y0 = Math.min(bounds.y0, y0);
    bounds.x1 = Math.max(bounds.x1, x1);
    bounds.y1 = Math.max(bounds.y1, y1);
  };

  const g = svg('svg', { role: 'img', 'data-graph': 'true' });
  const defs = svg('defs');
  const marker = svg('marker', {
    id: 'arrow',
    viewBox: '0 0 10 10',
    refX: 10,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#57606a' }));
  defs.appendChild(marker);
  g.appendChild(defs);

  for (const e of b.edges) {
    const p = pos.get(e.from);
    const q = pos.get(e.to);
    if (!p || !q) continue;
    const dx = q.x - p.x;
    const dy = q.y - p.y;
    const len = Math.max(1, Math.sqrt(dx * dx + dy * dy));
    const sx = p.x + (dx / len) * 30;
    const sy = p.y + (dy / len) * 18;
    const tx = q.x - (dx / len) * 30;
    const ty = q.y - (dy / len) * 18;
    // Bend each edge a little so that a pair of opposite edges stays apart: away from the centre, so that the
    // labels of a cycle sit outside it rather than pile up in the middle.
    const hx = (sx + tx) / 2;
    const hy = (sy + ty) / 2;
    const flip = -(dy / len) * (hx - cx) + (dx / len) * (hy - cy) < 0 ? -1 : 1;
    const nx = (-dy / len) * flip;
    const ny = (dx / len) * flip;
    const mx = hx + nx * 18;
    const my = hy + ny * 18;
    const lx = hx + nx * 30;
    const ly = hy + ny * 30 + 4;
    const path = svg('path', {
      d: `M ${sx} ${sy} Q ${mx} ${my} ${tx} ${ty}`,
      fill: 'none',
      stroke: '#57606a',
      'stroke-width': 1.5,
      'marker-end': 'url(#arrow)',
    });
    path.setAttribute('data-edge', e.label);
    if (e.detail) path.appendChild(svg('title', {}, e.detail));
    g.appendChild(path);
    const w = textWidth(e.label);
    include(lx - w / 2, ly - 14, lx + w / 2, ly + 4);
    g.appendChild(svg('text', { x: lx, y: ly, 'text-anchor': 'middle', fill: '#0969da', 'font-size': 12 }, e.label));
  }
  for (const node of b.nodes) {
    const p = pos.get(node.id)!;
    const w = Math.max(44, textWidth(node.label) + 16);
    include(p.x - w / 2, p.y - 16, p.x + w / 2, p.y + 16);
    const rect = svg('rect', {
      x: p.x - w / 2,
      y: p.y - 16,
      width: w,
      height: 32,
      rx: 8,
      fill: '#fff8c5',
      stroke: '#9a6700',
      'stroke-width': 1.5,
    });
    rect.setAttribute('data-node', node.id);
    if (node.detail) rect.appendChild(svg('title', {}, node.detail));
    g.appendChild(rect);
    g.appendChild(svg('text', { x: p.x, y: p.y + 5, 'text-anchor': 'middle', fill: '#1f2328' }, node.label));
  }
  const pad = 8;
  const vw = bounds.x1 - bounds.x0 + 2 * pad;
  const vh = bounds.y1 - bounds.y0 + 2 * pad;
  g.setAttribute('viewBox', `${bounds.x0 - pad} ${bounds.y0 - pad} ${vw} ${vh}`);
  g.setAttribute('width', String(vw));
  g.setAttribute('height', String(vh));
  return el('div', 'graph', g);
}
