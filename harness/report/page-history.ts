/**
 * The anomaly area's sections as the page gets them: every `history` block
 * (a long op listing, see checkers/view.ts) cut to a row budget, so that the
 * page stays under its size cap (a listing past the budget keeps the window
 * of rows around its failed op), and packed into columns (PageHistoryBlock),
 * about a third of the size of the rows as JSON objects.
 */
import type { Block, HistoryRow, ReportSection } from '../../checkers/view.js';
import { OUTCOMES, type PageBlock, type PageHistoryBlock, type PageSection } from './page-types.js';

type HistoryBlock = Extract<Block, { type: 'history' }>;

/**
 * Returns the sections with every history block cut to at most `maxRows`
 * rows and packed (the other blocks unchanged), and a sentence per block that was cut.
 */
export function pageSections(
  sections: readonly ReportSection[],
  maxRows: number,
): { sections: PageSection[]; elided: string[] } {
  const elided: string[] = [];
  const packed = sections.map((section) => ({
    ...section,
    blocks: section.blocks.map((b): PageBlock => {
      if (b.type !== 'history') return b;
      const cut = b.rows.length > maxRows ? windowOf(b, maxRows) : b;
      if (cut !== b) {
        elided.push(
          `${section.title}: the op listing keeps ${cut.rows.length} of ${b.total} ops, those around the failed op.`,
        );
      }
      return packHistory(cut);
    }),
  }));
  return { sections: packed, elided };
}

/** `maxRows` rows of `block` centred on its failed op (or its last rows when none is marked). */
function windowOf(block: HistoryBlock, maxRows: number): HistoryBlock {
  const keep = Math.max(0, Math.floor(maxRows));
  const failed = block.rows.findIndex((r) => r.role === 'failed');
  const centre = failed === -1 ? block.rows.length : failed;
  const from = Math.min(Math.max(0, centre - Math.floor(keep / 2)), Math.max(0, block.rows.length - keep));
  return { ...block, rows: block.rows.slice(from, from + keep), offset: block.offset + from };
}

/** The block's rows as columns. */
export function packHistory(block: HistoryBlock): PageHistoryBlock {
  const texts: string[] = [];
  const textIndex = new Map<string, number>();
  const text = (s: string | undefined): number => {
    if (s === undefined) return -1;
    let i = textIndex.get(s);
    if (i === undefined) {
      i = texts.push(s) - 1;
      textIndex.set(s, i);
    }
    return i;
  };
  const us = (ns: number): number => Math.round(ns / 1000);
  const column = <T>(get: (r: HistoryRow) => T): T[] => block.rows.map(get);
  return {
    type: 'history',
    ...(block.caption !== undefined ? { caption: block.caption } : {}),
    total: block.total,
    offset: block.offset,
    texts,
    index: column((r) => r.index),
    process: column((r) => text(r.process)),
    f: column((r) => text(r.f)),
    value: column((r) => text(r.value)),
    outcome: column((r) => Math.max(0, OUTCOMES.indexOf(r.outcome))),
    node: column((r) => text(r.node)),
    error: column((r) => text(r.error)),
    invoke: column((r) => us(r.invoke)),
    complete: column((r) => (r.complete === null ? -1 : us(r.complete))),
    failed: block.rows.findIndex((r) => r.role === 'failed'),
    lastOk: block.rows.findIndex((r) => r.role === 'last-ok'),
  };
}
