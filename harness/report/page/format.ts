/** Times and values as text. */
import type { Cell } from '../../../checkers/view.js';
import type { PageFault } from '../page-types.js';

/** µs since the test started as text: "1.234 s", or "op 12" for a history without times. */
export function secondsText(us: number | null | undefined, untimed: boolean): string {
  if (us === null || us === undefined) return '—';
  return untimed ? `op ${Math.round(us / 1e6)}` : `${(us / 1e6).toFixed(3)} s`;
}

/** ns since the test started (the blocks' times) as text, like secondsText. */
export function nsText(ns: number | null | undefined, untimed: boolean): string {
  return ns === null || ns === undefined ? '—' : secondsText(ns / 1000, untimed);
}

/** A table cell of a block as text. */
export function cellText(c: Cell | undefined, untimed: boolean): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'object') return nsText(c.time, untimed);
  return String(c);
}

/** "partition (n1, n2)": the fault and the nodes it touched. */
export function faultLabel(f: PageFault): string {
  if (f.text) return `${f.fault}: ${f.text}`;
  return f.nodes.length ? `${f.fault} (${f.nodes.join(', ')})` : f.fault;
}

/** "1 op", "2 ops". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
