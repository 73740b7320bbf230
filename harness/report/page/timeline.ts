/** The timeline section: the canvas (timeline-canvas.ts) with its controls, tooltip and pinned details. */

import { OUTCOMES } from '../page-types.js';
import { COLORS } from './colors.js';
import { chartWidth, type PageContext } from './context.js';
import { append, button, el, section, swatch } from './dom.js';
import { secondsText } from './format.js';
import { TimelineCanvas } from './timeline-canvas.js';

export function renderTimeline(ctx: PageContext): void {
  const s = section(ctx.root, 'Timeline', 'timeline');
  s.appendChild(
    el(
      'p',
      'muted',
      'One row per worker (a worker continues under a fresh process id after an indeterminate op). ' +
        'Scroll to zoom, drag to pan, double-click to reset; hover an op for its details.',
    ),
  );
  const legend = el('p', 'muted');
  for (const o of OUTCOMES) append(legend, [swatch(COLORS[o]), o === 'open' ? 'never completed' : o]);
  s.appendChild(legend);

  const range = el('span', 'muted mono');
  const canvas = el('canvas');
  const tl = new TimelineCanvas(ctx, canvas, () => {
    range.textContent = `showing ${secondsText(tl.lo, ctx.untimed)} – ${secondsText(tl.hi, ctx.untimed)}`;
  });
  s.appendChild(
    el('div', 'tl-controls', [
      button('Zoom in', () => tl.zoom(0.5, tl.width / 2)),
      button('Zoom out', () => tl.zoom(2, tl.width / 2)),
      button('Reset', () => tl.reset()),
      range,
    ]),
  );
  const tip = el('div', 'tooltip');
  s.appendChild(el('div', 'timeline-wrap', [canvas, tip]));
  const pinned = el('pre', 'mono', 'Click an op to show its details here.');
  s.appendChild(pinned);

  let drag: { x: number; lo: number; hi: number; moved: boolean } | null = null;
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      tl.zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
    },
    { passive: false },
  );
  canvas.addEventListener('mousedown', (e) => {
    drag = { x: e.clientX, lo: tl.lo, hi: tl.hi, moved: false };
    canvas.style.cursor = 'grabbing';
  });
  window.addEventListener('mouseup', () => {
    if (drag) canvas.style.cursor = 'grab';
    // After the click event, which must still see whether the mouse moved.
    setTimeout(() => {
      drag = null;
    }, 0);
  });
  window.addEventListener('mousemove', (e) => {
    if (!drag) return;
    const dt = ((e.clientX - drag.x) / tl.width) * (drag.hi - drag.lo);
    if (Math.abs(e.clientX - drag.x) > 2) drag.moved = true;
    tl.show(drag.lo - dt, drag.hi - dt);
  });
  canvas.addEventListener('mousemove', (e) => {
    if (drag?.moved) {
      tip.style.display = 'none';
      return;
    }
    const o = tl.opAt(e.offsetX, e.offsetY);
    if (o < 0) {
      tip.style.display = 'none';
      return;
    }
    tip.textContent = tl.describe(o);
    tip.style.display = 'block';
    tip.style.left = `${Math.min(e.offsetX + 12, tl.width - 380)}px`;
    tip.style.top = `${e.offsetY + 14}px`;
  });
  canvas.addEventListener('mouseleave', () => {
    tip.style.display = 'none';
  });
  canvas.addEventListener('click', (e) => {
    if (drag?.moved) return;
    const o = tl.opAt(e.offsetX, e.offsetY);
    if (o >= 0) pinned.textContent = tl.describe(o);
  });
  canvas.addEventListener('dblclick', () => tl.reset());
  window.addEventListener('resize', () => {
    tl.size(chartWidth(ctx, s));
    tl.requestDraw();
  });
  tl.size(chartWidth(ctx, s));
  tl.draw();
  canvas.setAttribute('data-drawn', String(ctx.data.ops.invoke.length));
}
