/**
 * uPlot charts over the run's time (seconds since the test started), with
 * the fault windows shaded and named on every chart.
 */
import { chartWidth, type PageContext } from './context.js';
import { el } from './dom.js';
import { faultLabel } from './format.js';
import { type UPlot, uPlot } from './uplot.js';

export interface ChartOptions {
  /** The holder's data-chart attribute (the browser tests find charts by it). */
  id: string;
  yLabel: string;
  yScale?: UPlot.Scale;
  height?: number;
}

/** A chart titled `title` appended to `parent`; `series` and `data` as uPlot takes them, x first. */
export function makeChart(
  ctx: PageContext,
  parent: HTMLElement,
  title: string,
  opts: ChartOptions,
  series: UPlot.Series[],
  data: UPlot.AlignedData,
): UPlot {
  parent.appendChild(el('div', 'chart-title', title));
  const holder = el('div', 'chart');
  holder.setAttribute('data-chart', opts.id);
  parent.appendChild(holder);
  const chart = new uPlot(
    {
      width: chartWidth(ctx, parent),
      height: opts.height ?? 280,
      plugins: [faultPlugin(ctx)],
      scales: { x: { time: false, range: [0, Math.max(ctx.data.endUs / 1e6, 1e-6)] }, y: opts.yScale ?? {} },
      axes: [
        { label: 'seconds since the test started', size: 44 },
        { label: opts.yLabel, size: 64 },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { show: false } },
      series: [{ label: 'time (s)', value: (_u, v) => (v === null ? '—' : v.toFixed(3)) }, ...series],
    },
    data,
    holder,
  );
  ctx.charts.push({ chart, parent });
  return chart;
}

/** A series' legend value in ms with two decimals. */
export const msValue = (_u: UPlot, v: number | null): string => (v === null ? '—' : `${v.toFixed(2)} ms`);

/** Shades the fault windows behind the series and names them at the top of the plot. */
function faultPlugin(ctx: PageContext): UPlot.Plugin {
  const { faults, endUs } = ctx.data;
  return {
    hooks: {
      drawClear: [
        (u) => {
          const c = u.ctx;
          const b = u.bbox;
          c.save();
          for (const f of faults) {
            const x0 = Math.max(b.left, u.valToPos(f.startUs / 1e6, 'x', true));
            const x1 = Math.min(b.left + b.width, u.valToPos((f.endUs ?? endUs) / 1e6, 'x', true));
            if (x1 <= x0) continue;
            c.fillStyle = ctx.faultColors.fill(f.fault);
            c.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height);
          }
          c.restore();
        },
      ],
      draw: [
        (u) => {
          const c = u.ctx;
          const b = u.bbox;
          const pr = devicePixelRatio || 1;
          c.save();
          c.font = `${11 * pr}px system-ui, sans-serif`;
          c.fillStyle = '#5c3c00';
          c.textBaseline = 'top';
          c.textAlign = 'left';
          faults.forEach((f, i) => {
            const x0 = u.valToPos(f.startUs / 1e6, 'x', true);
            if (x0 < b.left || x0 > b.left + b.width) return;
            c.fillText(faultLabel(f), x0 + 3 * pr, b.top + (2 + (i % 3) * 12) * pr);
          });
          c.restore();
        },
      ],
    },
  };
}

/** Resizes every chart to its parent's width (on window resize). */
export function resizeCharts(ctx: PageContext): void {
  for (const c of ctx.charts) c.chart.setSize({ width: chartWidth(ctx, c.parent), height: c.chart.height });
}
