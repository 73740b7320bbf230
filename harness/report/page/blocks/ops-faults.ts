/** The fault windows over the ops diagram's columns, with their names packed into rows above the lanes. */
import type { PageFault } from '../../page-types.js';
import type { PageContext } from '../context.js';
import { faultLabel, secondsText } from '../format.js';
import { textWidth } from '../measure.js';
import { type Columns, faultSpan, packRows } from './ops-layout.js';

export interface FaultMark {
  fault: PageFault;
  x0: number;
  x1: number;
  label: string;
  labelX: number;
  row: number;
  tip: string;
}

export function faultMarks(
  ctx: PageContext,
  columns: Columns,
  x: (slot: number) => number,
  halfColumn: number,
  W: number,
): { marks: FaultMark[]; rows: number } {
  const marks: FaultMark[] = [];
  for (const f of ctx.data.faults) {
    const span = faultSpan(columns, f.startUs * 1000, f.endUs === null ? null : f.endUs * 1000);
    if (!span) continue;
    const x0 = span.between ? x(span.from) - 2 : x(span.from) - halfColumn;
    const x1 = span.between ? x(span.to) + 2 : Math.min(W - 2, x(span.to) + halfColumn);
    const label = faultLabel(f);
    const width = textWidth(label);
    const until = f.endUs === null ? 'still active at the end' : `until ${secondsText(f.endUs, ctx.untimed)}`;
    marks.push({
      fault: f,
      x0,
      x1,
      label,
      labelX: Math.max(2, Math.min(x0, W - 2 - width)),
      row: 0,
      tip: `${label}: from ${secondsText(f.startUs, ctx.untimed)} ${until}\n${f.detail}`,
    });
  }
  const packed = packRows(marks.map((m) => ({ x: m.labelX, width: textWidth(m.label), rows: 1 })));
  marks.forEach((m, i) => {
    m.row = packed.row[i]!;
  });
  return { marks, rows: packed.rows };
}
