/**
 * The cycle anomalies, with Elle's names (after Adya):
 *
 * - G0: a cycle of ww edges only (dirty writes).
 * - G1c: ww and wr edges, at least one wr (circular information flow).
 * - G-single-item: exactly one rw edge, the rest ww/wr (read skew).
 * - G-nonadjacent-item: several rw edges, no two next to each other.
 * - G2-item: several rw edges, some next to each other (write skew).
 *
 * and their -process and -realtime variants, whose cycles also use process
 * or real-time edges. A cycle's type follows from its edges alone
 * (`cycleType`), so any cycle found is named the same way whatever search
 * found it. Every edge here is on a single key (an item), hence the -item
 * names: faultline has no predicate reads.
 */
import { PROCESS, RT, RW, WR } from './kinds.js';

export const CYCLE_BASES = ['G0', 'G1c', 'G-single-item', 'G-nonadjacent-item', 'G2-item'] as const;
export type CycleBase = (typeof CYCLE_BASES)[number];
export type CycleVariant = '' | '-process' | '-realtime';

/** Every cycle anomaly type, most severe first: data-only ones, then -process, then -realtime (Elle's order). */
export const CYCLE_TYPES: readonly string[] = (['', '-process', '-realtime'] as const).flatMap((variant) =>
  CYCLE_BASES.map((base) => `${base}${variant}`),
);

export function isCycleType(type: string): boolean {
  return CYCLE_TYPES.includes(type);
}

/** The base and variant of a cycle type ("G1c-realtime" → G1c, -realtime). */
export function splitCycleType(type: string): { base: CycleBase; variant: CycleVariant } {
  for (const variant of ['-process', '-realtime'] as const) {
    if (type.endsWith(variant)) return { base: type.slice(0, -variant.length) as CycleBase, variant };
  }
  return { base: type as CycleBase, variant: '' };
}

/** The type of a cycle whose edges (in order, the last closing the cycle) have these kinds. */
export function cycleType(kinds: readonly number[]): string {
  let rw = 0;
  let wr = 0;
  let adjacentRw = false;
  let realtime = false;
  let process = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i]!;
    if (k === RW) {
      rw++;
      if (kinds[(i + 1) % kinds.length] === RW && kinds.length > 1) adjacentRw = true;
    } else if (k === WR) wr++;
    else if (k === RT) realtime = true;
    else if (k === PROCESS) process = true;
  }
  const base =
    rw === 1 ? 'G-single-item' : rw > 1 ? (adjacentRw ? 'G2-item' : 'G-nonadjacent-item') : wr > 0 ? 'G1c' : 'G0';
  return `${base}${realtime ? '-realtime' : process ? '-process' : ''}`;
}

/** What each cycle type means, in a phrase, for reports. */
export const CYCLE_MEANING: Record<CycleBase, string> = {
  G0: 'a cycle of write dependencies (ww) only: the transactions overwrote each other in incompatible orders',
  G1c: 'a cycle of write and read dependencies (ww, wr): each transaction saw or overwrote the effects of the next',
  'G-single-item':
    'a cycle with exactly one anti-dependency (rw): a transaction missed a write that, by the other edges, ' +
    'happened before it (read skew)',
  'G-nonadjacent-item': 'a cycle with several anti-dependencies (rw), no two of them next to each other',
  'G2-item': 'a cycle with several anti-dependencies (rw), two of them next to each other (write skew)',
};

export const VARIANT_MEANING: Record<CycleVariant, string> = {
  '': '',
  '-process': 'It needs the order in which a process ran its transactions.',
  '-realtime': 'It needs real-time order: a transaction that completed before another was invoked comes first.',
};
