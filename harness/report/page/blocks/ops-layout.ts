/**
 * Layout of the ops diagram, apart from drawing: the x axis is event order
 * (each invocation and completion its own column, so real-time order — all
 * linearizability depends on — is exact and short ops stay readable next to
 * long ones); fault windows become spans of columns; labels that do not fit
 * their bar are packed into rows under it, never overlapping.
 */
import type { DiagramOp } from '../../../../checkers/view.js';

/** The event columns: history indices in order, with their times (ns). */
export interface Columns {
  /** History index of each column's event, ascending. */
  events: number[];
  /** Time (ns) of each column's event. */
  times: number[];
  /** Column of a history index. */
  slotOf: Map<number, number>;
  /** Columns in all: one per event and a last one for "never returned". */
  slots: number;
}

export function eventColumns(ops: readonly DiagramOp[]): Columns {
  const timeOf = new Map<number, number>();
  for (const o of ops) {
    timeOf.set(o.invoke.index, o.invoke.time);
    if (o.complete) timeOf.set(o.complete.index, o.complete.time);
  }
  const events = [...timeOf.keys()].sort((p, q) => p - q);
  return {
    events,
    times: events.map((e) => timeOf.get(e)!),
    slotOf: new Map(events.map((e, i) => [e, i])),
    slots: events.length + 1,
  };
}

/** A fault window over the columns: from column `from` to column `to` (fractional: between columns), inclusive. */
export interface FaultSpan {
  from: number;
  to: number;
  /** True when no event falls inside the window: it is drawn as a thin mark between two columns. */
  between: boolean;
}

/**
 * The columns a fault window [startNs, endNs) covers (endNs null: still active
 * at the end, so it covers the "never returned" column too), or undefined when
 * the window lies wholly before or after the diagram's events.
 */
export function faultSpan(columns: Columns, startNs: number, endNs: number | null): FaultSpan | undefined {
  const { times } = columns;
  const end = endNs ?? Number.POSITIVE_INFINITY;
  const inside: number[] = [];
  times.forEach((t, i) => {
    if (t >= startNs && t < end) inside.push(i);
  });
  if (inside.length > 0) {
    const last = endNs === null ? columns.slots - 1 : inside[inside.length - 1]!;
    return { from: inside[0]!, to: last, between: false };
  }
  // No event inside. Wholly before the first event: not on this diagram.
  const before = lastIndex(times, (t) => t < startNs);
  if (before === -1) return undefined;
  // After the last event: on the diagram only while ops that never returned run, i.e. when still active.
  if (before === times.length - 1) {
    return endNs === null ? { from: before + 0.5, to: columns.slots - 1, between: false } : undefined;
  }
  // Between two events: a thin mark between their columns.
  return { from: before + 0.5, to: before + 0.5, between: true };
}

function lastIndex(values: readonly number[], test: (v: number) => boolean): number {
  for (let i = values.length - 1; i >= 0; i--) if (test(values[i]!)) return i;
  return -1;
}

/** A label to place: its wanted left edge and its width (px), its height in rows. */
export interface LabelBox {
  x: number;
  width: number;
  rows: number;
}

/**
 * Packs labels into rows: each goes into the first rows where it overlaps no
 * label already there (with `gap` px between neighbours). Labels are taken in
 * order of `x`. Returns each label's first row (in the order given) and the
 * rows used.
 */
export function packRows(boxes: readonly LabelBox[], gap = 8): { row: number[]; rows: number } {
  const taken: { from: number; to: number }[][] = [];
  const row = new Array<number>(boxes.length).fill(0);
  const order = boxes.map((_, i) => i).sort((a, b) => boxes[a]!.x - boxes[b]!.x);
  const free = (r: number, from: number, to: number): boolean =>
    (taken[r] ?? []).every((t) => to + gap <= t.from || from >= t.to + gap);
  for (const i of order) {
    const b = boxes[i]!;
    let r = 0;
    while (!Array.from({ length: b.rows }, (_, k) => free(r + k, b.x, b.x + b.width)).every(Boolean)) r++;
    for (let k = 0; k < b.rows; k++) (taken[r + k] ??= []).push({ from: b.x, to: b.x + b.width });
    row[i] = r;
  }
  return { row, rows: taken.length };
}
