/** The page's colours: outcomes, their shades for several fs, and fault windows. */
import type { Outcome } from '../page-types.js';

export const COLORS: Record<Outcome, string> = { ok: '#2b8a3e', fail: '#c92a2a', info: '#e67700', open: '#868e96' };

/** Shades per outcome, so several fs stay apart while the outcome stays readable. */
export const SHADES: Record<Outcome, readonly string[]> = {
  ok: ['#2b8a3e', '#1971c2', '#5f3dc4', '#0c8599', '#66a80f', '#364fc7'],
  fail: ['#c92a2a', '#a61e4d', '#e8590c', '#862e9c'],
  info: ['#e67700', '#f08c00', '#d9480f', '#b08900'],
  open: ['#868e96'],
};

/** Hands out shades of each outcome in turn. */
export class ShadePicker {
  private readonly used: Record<Outcome, number> = { ok: 0, fail: 0, info: 0, open: 0 };

  next(outcome: Outcome): string {
    const shades = SHADES[outcome];
    return shades[this.used[outcome]++ % shades.length]!;
  }
}

/** Fault window fills as [red, green, blue, alpha]. */
const FAULT_RGBA: readonly [number, number, number, number][] = [
  [255, 146, 43, 0.16],
  [132, 94, 247, 0.14],
  [34, 139, 230, 0.14],
  [250, 82, 82, 0.13],
  [64, 192, 87, 0.14],
];

/** One colour per fault name, in order of first use. */
export class FaultColors {
  private readonly names: string[] = [];

  /** The fault's fill; `alpha` overrides its light default (e.g. 0.45 for a solid band). */
  fill(fault: string, alpha?: number): string {
    let i = this.names.indexOf(fault);
    if (i === -1) i = this.names.push(fault) - 1;
    const [r, g, b, a] = FAULT_RGBA[i % FAULT_RGBA.length]!;
    return `rgba(${r},${g},${b},${alpha ?? a})`;
  }
}
