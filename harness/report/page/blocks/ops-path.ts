/** The selected path of an ops diagram (e.g. a partial linearization) drawn over its bars. */
import type { DiagramPath } from '../../../../checkers/view.js';
import { svg } from '../dom.js';

/** Steps of a path drawn (and listed); earlier ones are folded away. */
export const DRAWN_STEPS = 10;

/** The selected path: a numbered dot inside each op's bar, in order, joined by a dashed line. */
export function drawPath(
  g: SVGSVGElement,
  path: DiagramPath,
  centers: ReadonlyMap<string, { x0: number; x1: number; y: number }>,
): void {
  let prev = Number.NEGATIVE_INFINITY;
  const pts: { x: number; y: number; n: number; state: string | undefined }[] = [];
  const firstDrawn = Math.max(0, path.steps.length - DRAWN_STEPS);
  path.steps.forEach((st, i) => {
    const c = i >= firstDrawn ? centers.get(st.op) : undefined;
    if (!c) return;
    const px = Math.min(c.x1 - 6, Math.max(c.x0 + 16, prev + 30));
    prev = px;
    pts.push({ x: px, y: c.y, n: path.omitted + i + 1, state: st.detail });
  });
  if (pts.length > 1) {
    g.appendChild(
      svg('polyline', {
        points: pts.map((p) => `${p.x},${p.y}`).join(' '),
        fill: 'none',
        stroke: '#0969da',
        'stroke-width': 1.5,
        'stroke-dasharray': '3 2',
      }),
    );
  }
  for (const p of pts) {
    // A pill wide enough for the step number.
    const w = 8 + 6.5 * String(p.n).length;
    const dot = svg('rect', {
      x: p.x - w / 2,
      y: p.y - 7.5,
      width: w,
      height: 15,
      rx: 7.5,
      fill: '#0969da',
      stroke: '#fff',
      'stroke-width': 1,
    });
    dot.appendChild(svg('title', {}, `step ${p.n}${p.state === undefined ? '' : `: after it: ${p.state}`}`));
    g.appendChild(dot);
    g.appendChild(svg('text', { x: p.x, y: p.y + 3.5, 'text-anchor': 'middle', fill: '#fff', 'font-size': 10.5 }, p.n));
  }
}
