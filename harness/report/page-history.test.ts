import { describe, expect, it } from 'vitest';
import type { HistoryRow, ReportSection } from '../../checkers/view.js';
import { packHistory, pageSections } from './page-history.js';
import type { PageHistoryBlock } from './page-types.js';

const row = (i: number, role?: HistoryRow['role']): HistoryRow => ({
  index: i * 2,
  process: '0',
  f: 'read',
  value: String(i),
  outcome: 'ok',
  invoke: i * 1000,
  complete: i * 1000 + 500,
  ...(role ? { role } : {}),
});

const section = (rows: HistoryRow[], offset = 0, total = rows.length): ReportSection => ({
  kind: 'linearizable',
  checker: 'checker',
  title: 'Not linearizable',
  blocks: [
    { type: 'text', text: 'hello' },
    { type: 'history', rows, total, offset },
  ],
});

const listing = (s: { blocks: unknown[] }): PageHistoryBlock => s.blocks[1] as PageHistoryBlock;
const values = (b: PageHistoryBlock): string[] => b.value.map((v) => b.texts[v]!);

describe('pageSections', () => {
  it('packs listings within the budget whole, and leaves other blocks as they are', () => {
    const { sections, elided } = pageSections([section([row(0), row(1, 'failed')])], 2);
    expect(elided).toEqual([]);
    expect(sections[0]!.blocks[0]).toEqual({ type: 'text', text: 'hello' });
    expect(listing(sections[0]!)).toMatchObject({ total: 2, offset: 0, index: [0, 2], failed: 1, lastOk: -1 });
  });

  it('keeps the window of rows around the failed op, counting from the whole listing', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, i === 7 ? 'failed' : undefined));
    const { sections, elided } = pageSections([section(rows, 100, 500)], 4);
    const block = listing(sections[0]!);
    expect(block).toMatchObject({ total: 500, offset: 105, failed: 2 });
    expect(values(block)).toEqual(['5', '6', '7', '8']);
    expect(elided).toEqual(['Not linearizable: the op listing keeps 4 of 500 ops, those around the failed op.']);
  });

  it('keeps the last rows when no op is marked failed, and never more than the budget', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i));
    const block = listing(pageSections([section(rows)], 3).sections[0]!);
    expect(values(block)).toEqual(['7', '8', '9']);
    expect(block).toMatchObject({ offset: 7, total: 10, failed: -1 });
  });
});

describe('packHistory', () => {
  it('stores each text once, times in µs, and -1 for what is missing', () => {
    const block = packHistory({
      type: 'history',
      caption: 'ops',
      total: 2,
      offset: 0,
      rows: [
        { index: 0, process: '1', f: 'write', value: '3', outcome: 'ok', node: 'n1', invoke: 1500, complete: 9000 },
        {
          index: 2,
          process: '1',
          f: 'read',
          value: '3',
          outcome: 'info',
          error: 'timeout',
          invoke: 10_000,
          complete: null,
        },
      ],
    });
    expect(block).toEqual({
      type: 'history',
      caption: 'ops',
      total: 2,
      offset: 0,
      texts: ['1', 'write', 'read', '3', 'n1', 'timeout'],
      index: [0, 2],
      process: [0, 0],
      f: [1, 2],
      value: [3, 3],
      outcome: [0, 2],
      node: [4, -1],
      error: [-1, 5],
      invoke: [2, 10],
      complete: [9, -1],
      failed: -1,
      lastOk: -1,
    });
  });
});
