/**
 * The ops diagram (SVG): one lane per process, each op a bar from its
 * invocation's column to its completion's, fault windows shaded over the
 * columns they cover and named above them, and the selected path as numbered
 * dots. Every label is laid out whole: inside its bar when it fits, else in a
 * row under the lane with a leader line; none is clipped or overlaps another.
 */
import type { DiagramOp, DiagramPath } from '../../../../checkers/view.js';
import { COLORS } from '../colors.js';
import { diagramWidth, type PageContext } from '../context.js';
import { svg } from '../dom.js';
import { nsText } from '../format.js';
import { textWidth, wrapText } from '../measure.js';
import { faultMarks } from './ops-faults.js';
import { eventColumns, type LabelBox, packRows } from './ops-layout.js';
import { drawPath } from './ops-path.js';

export { DRAWN_STEPS } from './ops-path.js';

const RIGHT = 24;
const BAR = 34;
/** Height of a line of label text under a lane, and of a row of fault names. */
const LINE = 15;
const LANE_GAP = 12;
const AXIS = 30;
/** A label longer than this many lines is cut (the bar's tooltip and the op listing have it whole). */
const MAX_LABEL_LINES = 8;

interface Bar {
  op: DiagramOp;
  lane: number;
  x0: number;
  x1: number;
  lines: string[];
  inside: boolean;
  /** For labels under the lane: where it starts, how wide it is and its first row. */
  labelX: number;
  width: number;
  labelRow: number;
}

const STYLE = {
  failed: { fill: '#ffe3e3', stroke: COLORS.fail },
  'last-ok': { fill: '#d3f9d8', stroke: COLORS.ok },
  indeterminate: { fill: '#fff4e6', stroke: COLORS.info },
  other: { fill: '#e7f5ff', stroke: '#1971c2' },
} as const;

export function drawOps(ctx: PageContext, ops: readonly DiagramOp[], path: DiagramPath | undefined): SVGSVGElement {
  const W = Math.max(640, diagramWidth(ctx));
  const processes = [...new Set(ops.map((o) => o.process))].sort(
    (x, y) => Number(x) - Number(y) || (x < y ? -1 : x > y ? 1 : 0),
  );
  const processLines = processes.map((p) => wrapText(`process ${p}`, Math.max(60, W / 4)));
  const LEFT = Math.min(W / 4 + 16, Math.max(70, ...processLines.flat().map((l) => textWidth(l) + 20)));
  const columns = eventColumns(ops);
  const x = (slot: number): number => LEFT + ((slot + 0.5) / columns.slots) * (W - LEFT - RIGHT);
  const halfColumn = (W - LEFT - RIGHT) / columns.slots / 2;
  const labelMax = W - LEFT - RIGHT - 8;

  const bars: Bar[] = ops.map((op) => {
    const open = !op.complete;
    const x0 = x(columns.slotOf.get(op.invoke.index)!) - 4;
    const x1 = op.complete ? x(columns.slotOf.get(op.complete.index)!) + 4 : W - RIGHT;
    const label = `${op.role === 'failed' ? '✗ ' : ''}${op.text}${nodeSuffix(op)}${open ? ' …?' : ''}`;
    const inside = textWidth(label) + 10 <= x1 - x0;
    const lines = inside ? [label] : capped(wrapText(label, labelMax));
    const width = Math.max(...lines.map((l) => textWidth(l)));
    const labelX = Math.max(LEFT, Math.min(x0, W - 4 - width));
    return { op, lane: processes.indexOf(op.process), x0, x1, lines, inside, labelX, width, labelRow: 0 };
  });

  // Labels that do not fit their bar go into rows under their lane.
  const laneRows = processes.map((_, lane) => {
    const below = bars.filter((b) => b.lane === lane && !b.inside);
    const boxes: LabelBox[] = below.map((b) => ({ x: b.labelX, width: b.width, rows: b.lines.length }));
    const packed = packRows(boxes);
    below.forEach((b, i) => {
      b.labelRow = packed.row[i]!;
    });
    return packed.rows;
  });
  const laneHeight = processes.map((_, lane) => {
    const rows = laneRows[lane]!;
    const body = BAR + (rows > 0 ? 6 + rows * LINE : 0);
    return Math.max(body, processLines[lane]!.length * LINE + 8) + LANE_GAP;
  });

  const faults = faultMarks(ctx, columns, x, halfColumn, W);
  const TOP = 10 + faults.rows * LINE + (faults.rows > 0 ? 8 : 0);
  const laneTop: number[] = [];
  let y = TOP;
  for (const h of laneHeight) {
    laneTop.push(y);
    y += h;
  }
  const H = y + AXIS;

  const g = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img' });
  g.appendChild(svg('title', {}, 'Ops around the anomaly, one row per process'));

  // Fault windows first, so that the ops are drawn over them.
  for (const m of faults.marks) {
    const fill = ctx.faultColors.fill(m.fault.fault, 0.2);
    const band = svg('rect', { x: m.x0, y: TOP - 4, width: m.x1 - m.x0, height: H - AXIS - TOP + 8, fill });
    band.setAttribute('data-fault', m.fault.fault);
    band.appendChild(svg('title', {}, m.tip));
    g.appendChild(band);
    const axisMark = svg('rect', { x: m.x0, y: H - AXIS + 2, width: m.x1 - m.x0, height: 5, rx: 1 });
    axisMark.setAttribute('fill', ctx.faultColors.fill(m.fault.fault, 0.85));
    axisMark.setAttribute('data-fault-axis', m.fault.fault);
    g.appendChild(axisMark);
    const label = svg('text', { x: m.labelX, y: 10 + m.row * LINE + 11, fill: '#5c3c00' }, m.label);
    label.setAttribute('data-fault-label', m.fault.fault);
    g.appendChild(label);
  }

  // The axis: the time of every few events.
  const every = Math.max(1, Math.ceil(columns.events.length / 7));
  columns.events.forEach((_, i) => {
    if (i % every !== 0) return;
    g.appendChild(svg('line', { x1: x(i), x2: x(i), y1: TOP - 6, y2: H - AXIS + 2, stroke: '#eaeef2' }));
    const text = nsText(columns.times[i], ctx.untimed);
    g.appendChild(svg('text', { ...anchored(x(i), textWidth(text), W), y: H - 8, fill: '#57606a' }, text));
  });

  processes.forEach((_, lane) => {
    g.appendChild(multiline(processLines[lane]!, 8, laneTop[lane]! + 22, { fill: '#57606a' }));
  });

  const centers = new Map<string, { x0: number; x1: number; y: number }>();
  for (const b of bars) {
    const top = laneTop[b.lane]! + 4;
    drawBar(ctx, g, b, top);
    centers.set(b.op.id, { x0: b.x0, x1: b.x1, y: top + BAR - 9 }); // dots sit under the label
  }
  if (path?.steps.length) drawPath(g, path, centers);
  return g;
}

function nodeSuffix(op: DiagramOp): string {
  return op.node && !op.text.includes(op.node) ? ` · ${op.node}` : '';
}

function capped(lines: string[]): string[] {
  if (lines.length <= MAX_LABEL_LINES) return lines;
  return [...lines.slice(0, MAX_LABEL_LINES - 1), '… (the rest is in the tooltip)'];
}

/** x and text-anchor for a label centred on `at`, moved to stay inside [0, W]. */
function anchored(at: number, width: number, W: number): { x: number; 'text-anchor': string } {
  if (at - width / 2 < 2) return { x: 2, 'text-anchor': 'start' };
  if (at + width / 2 > W - 2) return { x: W - 2, 'text-anchor': 'end' };
  return { x: at, 'text-anchor': 'middle' };
}

/** A <text> of several lines (tspans), the first baseline at `y`. */
function multiline(
  lines: readonly string[],
  x: number,
  y: number,
  attrs: Record<string, string | number>,
): SVGTextElement {
  const text = svg('text', { x, y, ...attrs });
  lines.forEach((line, i) => {
    text.appendChild(svg('tspan', { x, dy: i === 0 ? 0 : LINE }, line));
  });
  return text;
}

function drawBar(ctx: PageContext, g: SVGSVGElement, b: Bar, top: number): void {
  const o = b.op;
  const failed = o.role === 'failed';
  const style = STYLE[o.role === 'other' && o.indeterminate ? 'indeterminate' : o.role];
  const rect = svg('rect', {
    x: b.x0,
    y: top,
    width: Math.max(3, b.x1 - b.x0),
    height: BAR,
    rx: 4,
    fill: style.fill,
    stroke: style.stroke,
    'stroke-width': o.role === 'other' ? 1.2 : 2.5,
  });
  if (!o.complete) rect.setAttribute('stroke-dasharray', '5 3');
  rect.setAttribute('data-op', o.role);
  rect.setAttribute('data-id', o.id);
  if (o.node) rect.setAttribute('data-node', o.node);
  const returned = o.complete ? `returned ${nsText(o.complete.time, ctx.untimed)}` : 'never returned (indeterminate)';
  const tip = `process ${o.process}: ${o.text}${nodeSuffix(o)}\ninvoked ${nsText(o.invoke.time, ctx.untimed)}, ${returned}, history index ${o.invoke.index}`;
  rect.appendChild(svg('title', {}, tip));
  g.appendChild(rect);

  const color = failed ? COLORS.fail : '#1f2328';
  const weight: Record<string, number> = failed ? { 'font-weight': 700 } : {};
  let label: SVGTextElement;
  if (b.inside) {
    label = multiline(b.lines, b.x0 + 5, top + 13, { fill: color, ...weight });
  } else {
    // A leader from the bar down to its label.
    const labelTop = top + BAR + 6 + b.labelRow * LINE;
    const from = Math.min(b.x1 - 2, b.x0 + 6);
    const to = Math.max(b.labelX + 2, Math.min(from, b.labelX + b.width - 2));
    g.appendChild(svg('line', { x1: from, y1: top + BAR, x2: to, y2: labelTop + 2, stroke: style.stroke }));
    label = multiline(b.lines, b.labelX, labelTop + 11, { fill: color, ...weight });
  }
  label.setAttribute('data-label-for', o.id);
  label.setAttribute('data-placement', b.inside ? 'inside' : 'below');
  g.appendChild(label);
}
