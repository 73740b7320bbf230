/**
 * The report page's script, bundled into report.html (see ../page-script.ts)
 * and run with no network. It reads the page data that page-data.ts embedded
 * (typed by ../page-types.ts) and lays it out, part by part; a part that
 * fails says so and the rest are still drawn.
 */
import type { PageData } from '../page-types.js';
import { renderAnomalies } from './anomaly.js';
import { resizeCharts } from './charts.js';
import { renderClock } from './clock-chart.js';
import { type PageContext, pageContext } from './context.js';
import { el } from './dom.js';
import { renderHeader } from './header.js';
import { renderLogs, renderRaw } from './logs.js';
import { renderPerformance } from './performance.js';
import { renderTimeline } from './timeline.js';

declare global {
  interface Window {
    /** How long the page script took until the first frame (read by the browser tests and bench/report.ts). */
    faultlineRenderMs?: number;
    faultlinePartMs?: Record<string, number>;
  }
}

const PARTS: Record<string, (ctx: PageContext) => void> = {
  header: renderHeader,
  anomaly: renderAnomalies,
  performance: renderPerformance,
  clock: renderClock,
  timeline: renderTimeline,
  logs: renderLogs,
  raw: renderRaw,
};

function main(): void {
  const started = performance.now();
  const root = document.getElementById('report');
  const json = document.getElementById('faultline-data')?.textContent;
  if (!root || !json) throw new Error('this page has no report data');
  const ctx = pageContext(JSON.parse(json) as PageData, root);
  const partMs: Record<string, number> = {};
  for (const [name, part] of Object.entries(PARTS)) {
    const t = performance.now();
    try {
      part(ctx);
      partMs[name] = Math.round(performance.now() - t);
    } catch (err) {
      // One broken part must not hide the rest of the report.
      const why = err instanceof Error ? err.message : String(err);
      root.appendChild(el('div', 'warn', `This part of the report failed to draw: ${why}`));
      const errors = Number(document.body.getAttribute('data-render-errors') ?? 0) + 1;
      document.body.setAttribute('data-render-errors', String(errors));
    }
  }
  window.addEventListener('resize', () => resizeCharts(ctx));
  requestAnimationFrame(() => {
    window.faultlineRenderMs = performance.now() - started;
    window.faultlinePartMs = partMs;
    document.body.setAttribute('data-rendered', 'true');
  });
}

main();
