/** Clock offsets per node, as the clock nemesis measured them. */
import { makeChart } from './charts.js';
import type { PageContext } from './context.js';
import { el, section } from './dom.js';
import { uPlot } from './uplot.js';

const PALETTE = ['#1971c2', '#c92a2a', '#2b8a3e', '#e67700', '#5f3dc4', '#0c8599', '#a61e4d'];

export function renderClock(ctx: PageContext): void {
  const clock = ctx.data.clock;
  if (!clock) return;
  const s = section(ctx.root, 'Clock offsets', 'clock');
  s.appendChild(
    el('p', 'muted', 'Measured offset of each node’s clock from the controller’s, as recorded by the clock nemesis.'),
  );
  const stepped = uPlot.paths.stepped!;
  makeChart(
    ctx,
    s,
    'Clock offset per node',
    { id: 'clock', yLabel: 'offset (ms)' },
    clock.nodes.map((n, i) => ({
      label: n,
      stroke: PALETTE[i % PALETTE.length]!,
      width: 1.8,
      spanGaps: true,
      // An offset holds until the next measurement: draw steps.
      paths: stepped({ align: 1 }),
      points: { show: true, size: 6 },
      value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)} ms`),
    })),
    [clock.t.map((t) => t / 1e6), ...clock.offsets],
  );
}
