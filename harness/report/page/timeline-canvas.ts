/**
 * The timeline's canvas: every op as a bar on its worker's lane over time,
 * fault windows as a named band under the axis, with a zoomable, pannable
 * view. Ops in a lane never overlap, so the ops in view and the op under the
 * mouse are found by bisection on invocation time.
 */
import { OUTCOMES } from '../page-types.js';
import { COLORS } from './colors.js';
import type { PageContext } from './context.js';
import { faultLabel, secondsText } from './format.js';

const AXIS = 24;

export class TimelineCanvas {
  readonly row: number;
  readonly faultBand: number;
  readonly height: number;
  /** End of the run, µs. */
  readonly end: number;
  /** The shown range, µs. */
  lo = 0;
  hi: number;
  width = 0;
  private readonly laneOps: number[][];
  private readonly c2d: CanvasRenderingContext2D;
  private queued = false;

  constructor(
    private readonly ctx: PageContext,
    private readonly canvas: HTMLCanvasElement,
    private readonly onDraw: () => void,
  ) {
    const ops = ctx.data.ops;
    this.row = ops.lanes > 120 ? 6 : ops.lanes > 60 ? 9 : 14;
    this.faultBand = ctx.data.faults.length ? 16 : 0;
    this.height = AXIS + this.faultBand + ops.lanes * this.row + 4;
    this.end = Math.max(1, ctx.data.endUs);
    this.hi = this.end;
    this.laneOps = Array.from({ length: ops.lanes }, () => [] as number[]);
    for (let i = 0; i < ops.invoke.length; i++) this.laneOps[ops.processLane[ops.proc[i]!]!]!.push(i);
    for (const list of this.laneOps) list.sort((p, q) => ops.invoke[p]! - ops.invoke[q]!);
    const c2d = canvas.getContext('2d');
    if (!c2d) throw new Error('this browser has no 2D canvas');
    this.c2d = c2d;
  }

  /** Sizes the canvas to `width` CSS pixels (sharp on high-density screens). */
  size(width: number): void {
    const dpr = devicePixelRatio || 1;
    this.width = width;
    this.canvas.width = width * dpr;
    this.canvas.height = this.height * dpr;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${this.height}px`;
  }

  xOf(t: number): number {
    return ((t - this.lo) / (this.hi - this.lo)) * this.width;
  }

  tOf(x: number): number {
    return this.lo + (x / this.width) * (this.hi - this.lo);
  }

  requestDraw(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.draw();
    });
  }

  draw(): void {
    const { c2d: c, width, height, end } = this;
    const { ops, faults } = this.ctx.data;
    const dpr = devicePixelRatio || 1;
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    c.clearRect(0, 0, width, height);
    c.textAlign = 'left';
    c.textBaseline = 'alphabetic';
    c.font = '11px system-ui, sans-serif';
    // Fault windows: a band under the axis with the fault's name (lanes get an outline after the bars).
    for (const f of faults) {
      const x0 = Math.max(0, this.xOf(f.startUs));
      const x1 = Math.min(width, this.xOf(f.endUs ?? end));
      if (x1 <= x0) continue;
      c.fillStyle = this.ctx.faultColors.fill(f.fault, 0.45);
      c.fillRect(x0, AXIS, x1 - x0, this.faultBand);
      c.fillStyle = '#3d2600';
      c.fillText(faultLabel(f), x0 + 3, AXIS + 12);
    }
    // The axis.
    c.fillStyle = '#57606a';
    const step = niceStep((this.hi - this.lo) / 8);
    for (let t = Math.ceil(this.lo / step) * step; t <= this.hi; t += step) {
      const x = this.xOf(t);
      c.fillRect(x, AXIS - 6, 1, 6);
      c.fillText(this.tickText(t, step), x + 2, 12);
    }
    // The ops, one colour at a time.
    const h = Math.max(2, this.row - 3);
    OUTCOMES.forEach((outcome, code) => {
      c.fillStyle = COLORS[outcome];
      this.laneOps.forEach((list, lane) => {
        const y = AXIS + this.faultBand + lane * this.row + 1;
        for (let k = this.firstVisible(list); k < list.length; k++) {
          const o = list[k]!;
          if (ops.type[o] !== code) continue;
          const a = ops.invoke[o]!;
          if (a > this.hi) break;
          const z = ops.complete[o]! < 0 ? end : ops.complete[o]!;
          const x0 = this.xOf(a);
          c.fillRect(x0, y, Math.max(1, this.xOf(z) - x0 - 0.5), h);
        }
      });
    });
    // Fault windows' edges across the lanes.
    c.strokeStyle = 'rgba(61,38,0,0.55)';
    c.setLineDash([4, 3]);
    c.lineWidth = 1;
    for (const f of faults) {
      for (const t of [f.startUs, f.endUs ?? end]) {
        const x = Math.round(this.xOf(t)) + 0.5;
        if (x < 0 || x > width) continue;
        c.beginPath();
        c.moveTo(x, AXIS);
        c.lineTo(x, height);
        c.stroke();
      }
    }
    c.setLineDash([]);
    this.onDraw();
  }

  /** Zooms by `factor` (below 1: in) keeping the time under `atX` in place. */
  zoom(factor: number, atX: number): void {
    const t = this.tOf(atX);
    const span = Math.min(this.end, Math.max(10, (this.hi - this.lo) * factor));
    const frac = atX / this.width;
    this.lo = t - span * frac;
    this.hi = this.lo + span;
    this.clamp();
    this.requestDraw();
  }

  /** Shows [lo, lo + span), kept inside the run. */
  show(lo: number, hi: number): void {
    this.lo = lo;
    this.hi = hi;
    this.clamp();
    this.requestDraw();
  }

  reset(): void {
    this.show(0, this.end);
  }

  /** The op (its position in the columns) at canvas point (px, py), or -1. */
  opAt(px: number, py: number): number {
    const ops = this.ctx.data.ops;
    const lane = Math.floor((py - AXIS - this.faultBand) / this.row);
    const list = this.laneOps[lane];
    if (!list) return -1;
    const t = this.tOf(px);
    const slack = ((this.hi - this.lo) / this.width) * 2;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ops.invoke[list[mid]!]! <= t + slack) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1; k >= 0 && k >= lo - 3; k--) {
      const o = list[k]!;
      const z = ops.complete[o]! < 0 ? this.end : ops.complete[o]!;
      if (z + slack >= t) return o;
    }
    return -1;
  }

  /** The op's details as text: process, outcome, latency, node; its text; when and where in the history. */
  describe(o: number): string {
    const ops = this.ctx.data.ops;
    const outcome = OUTCOMES[ops.type[o]!] ?? 'open';
    const complete = ops.complete[o]!;
    const latency = complete < 0 ? 'never completed' : `${((complete - ops.invoke[o]!) / 1e3).toFixed(3)} ms`;
    const node = ops.nodes[ops.node[o]!];
    return (
      `process ${ops.processes[ops.proc[o]!]} · ${outcome} · ${latency}${node === undefined ? '' : ` · node ${node}`}\n` +
      `${ops.text ? ops.text[o] : ops.fs[ops.f[o]!]}\n` +
      `invoked ${secondsText(ops.invoke[o], this.ctx.untimed)} · history index ${ops.index[o]}`
    );
  }

  private clamp(): void {
    const span = this.hi - this.lo;
    if (this.lo < 0) {
      this.lo = 0;
      this.hi = span;
    }
    if (this.hi > this.end) {
      this.hi = this.end;
      this.lo = Math.max(0, this.end - span);
    }
  }

  /** The first op of a lane that may be in view: the last one invoked before the view starts. */
  private firstVisible(list: readonly number[]): number {
    const invoke = this.ctx.data.ops.invoke;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (invoke[list[mid]!]! < this.lo) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  private tickText(t: number, step: number): string {
    if (this.ctx.untimed) return `op ${Math.round(t / 1e6)}`;
    const digits = step >= 1e6 ? 0 : step >= 1e5 ? 1 : step >= 1e4 ? 2 : step >= 1e3 ? 3 : 6;
    return `${(t / 1e6).toFixed(digits)} s`;
  }
}

/** A round step (1, 2 or 5 × a power of ten) near `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}
