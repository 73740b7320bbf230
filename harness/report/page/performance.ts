/**
 * Performance: the fault windows' legend and list, the latency of every op
 * (scatter by f and outcome), latency quantiles and throughput per bucket.
 */
import { OUTCOMES, type Outcome } from '../page-types.js';
import { makeChart, msValue } from './charts.js';
import { ShadePicker } from './colors.js';
import type { PageContext } from './context.js';
import { append, el, section, swatch, table } from './dom.js';
import { plural, secondsText } from './format.js';
import { type UPlot, uPlot } from './uplot.js';

/** Fault windows listed in the fold, at most. */
const LISTED_FAULTS = 50;

export function renderPerformance(ctx: PageContext): void {
  const s = section(ctx.root, 'Performance', 'performance');
  faultsLegend(ctx, s);
  if (ctx.untimed) {
    s.appendChild(
      el(
        'p',
        'note',
        'This history records no times, so there is no latency or throughput to chart. The timeline below orders ops by their position in the history.',
      ),
    );
    return;
  }
  latencyScatter(ctx, s);
  quantiles(ctx, s);
  throughput(ctx, s);
}

function faultsLegend(ctx: PageContext, parent: HTMLElement): void {
  const { faults } = ctx.data;
  if (!faults.length) {
    parent.appendChild(el('p', 'muted', 'No faults were injected (no fault windows to shade).'));
    return;
  }
  const p = el('p', 'muted', 'Shaded: fault windows. ');
  for (const name of new Set(faults.map((f) => f.fault))) append(p, [swatch(ctx.faultColors.fill(name, 0.5)), name]);
  parent.appendChild(p);
  const rows = faults
    .slice(0, LISTED_FAULTS)
    .map((f) => [
      f.fault,
      secondsText(f.startUs, ctx.untimed),
      f.endUs === null ? 'still active at the end' : secondsText(f.endUs, ctx.untimed),
      f.text ?? (f.nodes.join(', ') || '—'),
      f.detail,
    ]);
  const details = el('details', null, el('summary', null, plural(faults.length, 'fault window')));
  details.appendChild(table(['fault', 'from', 'to', 'what', 'detail'], rows));
  if (faults.length > LISTED_FAULTS) details.appendChild(el('p', 'muted', `(first ${LISTED_FAULTS} shown)`));
  parent.appendChild(details);
}

const LOG_Y: UPlot.Scale = { distr: 3 };

/** One series per f and outcome; x is the invocation time, y the latency. */
function latencyScatter(ctx: PageContext, parent: HTMLElement): void {
  const ops = ctx.data.ops;
  const combos: { f: number; type: number }[] = [];
  const comboOf = new Map<number, number>();
  const order: number[] = [];
  for (let i = 0; i < ops.invoke.length; i++) {
    if (ops.complete[i]! < 0) continue;
    order.push(i);
    const key = ops.f[i]! * 4 + ops.type[i]!;
    if (!comboOf.has(key)) {
      comboOf.set(key, combos.length);
      combos.push({ f: ops.f[i]!, type: ops.type[i]! });
    }
  }
  order.sort((p, q) => ops.invoke[p]! - ops.invoke[q]!);
  combos.sort((p, q) => p.type - q.type || p.f - q.f);
  combos.forEach((c, j) => {
    comboOf.set(c.f * 4 + c.type, j);
  });
  const xs = new Array<number>(order.length);
  const ys = combos.map(() => new Array<number | null>(order.length).fill(null));
  order.forEach((i, row) => {
    xs[row] = ops.invoke[i]! / 1e6;
    ys[comboOf.get(ops.f[i]! * 4 + ops.type[i]!)!]![row] = Math.max(0.001, (ops.complete[i]! - ops.invoke[i]!) / 1e3);
  });
  const shades = new ShadePicker();
  const series: UPlot.Series[] = combos.map((c) => {
    const outcome: Outcome = OUTCOMES[c.type] ?? 'open';
    const color = shades.next(outcome);
    return {
      label: `${ops.fs[c.f]} ${outcome}`,
      stroke: color,
      paths: () => null,
      points: { show: true, size: 3.5, width: 0, fill: color, stroke: color, space: 0 },
      value: msValue,
    };
  });
  makeChart(
    ctx,
    parent,
    'Latency of every op (by f and outcome; x: when it was invoked)',
    { id: 'latency', yLabel: 'latency (ms, log)', yScale: LOG_Y },
    series,
    [xs, ...ys],
  );
}

function quantiles(ctx: PageContext, parent: HTMLElement): void {
  const b = ctx.data.buckets;
  const x = b.t.map((t) => (t + b.widthUs / 2) / 1e6);
  const qs = [
    ['p50', '#1971c2'],
    ['p95', '#e67700'],
    ['p99', '#c92a2a'],
    ['max', '#495057'],
  ] as const;
  makeChart(
    ctx,
    parent,
    `Latency quantiles per ${b.widthUs / 1e6} s bucket`,
    { id: 'quantiles', yLabel: 'latency (ms, log)', yScale: LOG_Y },
    qs.map(([label, stroke]) => ({ label, stroke, width: 1.6, spanGaps: false, value: msValue })),
    [x, ...qs.map(([q]) => b[q].map((v) => (v === null ? null : Math.max(0.001, v))))],
  );
}

function throughput(ctx: PageContext, parent: HTMLElement): void {
  const b = ctx.data.buckets;
  const shades = new ShadePicker();
  const stepped = uPlot.paths.stepped!;
  makeChart(
    ctx,
    parent,
    'Throughput (completions per second, by f and outcome)',
    { id: 'throughput', yLabel: 'ops/s' },
    b.throughput.map((t) => {
      const last = t.label.split(' ').pop();
      const outcome: Outcome = OUTCOMES.find((o) => o === last) ?? 'open';
      return { label: t.label, stroke: shades.next(outcome), width: 1.5, paths: stepped({ align: 1 }) };
    }),
    [b.t.map((t) => t / 1e6), ...b.throughput.map((t) => t.values)],
  );
}
