import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/history/op.js';
import { checkSet } from './index.js';
import { setView } from './view.js';

describe('the set view', () => {
  it('times lost and unexpected elements from the history', () => {
    const ms = 1e6;
    const history = [
      { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1 * ms },
      { index: 1, type: 'ok', process: 0, f: 'add', value: 1, time: 2 * ms, node: 'n2' },
      { index: 2, type: 'invoke', process: 1, f: 'read', value: null, time: 3 * ms },
      { index: 3, type: 'ok', process: 1, f: 'read', value: [1, 9], time: 4 * ms },
      { index: 4, type: 'invoke', process: 1, f: 'read', value: null, time: 5 * ms },
      { index: 5, type: 'ok', process: 1, f: 'read', value: [9], time: 6 * ms },
    ] as Op[];
    const result = checkSet(history);
    expect(result.valid).toBe(false);
    const ctx = { history, timeOf: (i: number) => history[i]!.time, summary: () => '', sections: () => [] };
    const [section] = setView.sections(result, 'checker', ctx);
    expect(section?.kind).toBe('set');
    const tables = section?.blocks.filter((b) => b.type === 'table');
    expect(tables?.map((t) => t.type === 'table' && t.rows)).toEqual([
      [['1', { time: 1 * ms }, { time: 2 * ms }, 'n2', 'ok', 'none', { time: 4 * ms }]],
      [['9', null, null, null, 'never added', null, { time: 6 * ms }]],
    ]);
    expect(setView.summary(result, { summary: () => '' })).toBe('set: 1 lost, 1 unexpected element(s)');
    expect(result.lostDetails[0]?.addOkNode).toBe('n2');
  });

  it('names the node that acknowledged a lost element and the fault window it was acknowledged in', () => {
    const s = 1e9;
    const history = [
      { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1 * s },
      { index: 1, type: 'ok', process: 0, f: 'add', value: 1, time: 2 * s, node: 'n1' },
      { index: 2, type: 'invoke', process: 1, f: 'add', value: 2, time: 3 * s },
      { index: 3, type: 'ok', process: 1, f: 'add', value: 2, time: 4 * s, node: 'n1' },
      { index: 4, type: 'invoke', process: 2, f: 'read', value: null, time: 5 * s },
      { index: 5, type: 'ok', process: 2, f: 'read', value: [], time: 6 * s, node: 'n2' },
    ] as Op[];
    const result = checkSet(history);
    const faults = [{ fault: 'partition', start: 1.5 * s, end: 5 * s }];
    const ctx = { history, timeOf: (i: number) => history[i]!.time, summary: () => '', sections: () => [], faults };
    const [section] = setView.sections(result, 'checker', ctx);
    const texts = section?.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));
    expect(texts).toContain(
      '2 elements were acknowledged and then lost: acknowledged by n1 (2) between 2.0 s and 4.0 s, during partition 1.5–5.0 s (2).',
    );
    const table = section?.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows[0]).toEqual([
      '1',
      { time: 1 * s },
      { time: 2 * s },
      'n1',
      'ok',
      'partition 1.5–5.0 s',
      null,
    ]);
  });

  it('says when lost elements were never acknowledged, apart from the acknowledged ones', () => {
    const s = 1e9;
    const history = [
      { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1 * s },
      { index: 1, type: 'info', process: 0, f: 'add', value: 1, time: 2 * s, error: 'timeout' },
      { index: 2, type: 'invoke', process: 1, f: 'add', value: 2, time: 3 * s },
      { index: 3, type: 'ok', process: 1, f: 'add', value: 2, time: 4 * s, node: 'n1' },
      { index: 4, type: 'invoke', process: 2, f: 'read', value: null, time: 5 * s },
      { index: 5, type: 'ok', process: 2, f: 'read', value: [1, 2], time: 6 * s, node: 'n1' },
      { index: 6, type: 'invoke', process: 2, f: 'read', value: null, time: 7 * s },
      { index: 7, type: 'ok', process: 2, f: 'read', value: [], time: 8 * s, node: 'n2' },
    ] as Op[];
    const result = checkSet(history);
    expect(result.lost).toHaveLength(2);
    const ctx = { history, timeOf: (i: number) => history[i]!.time, summary: () => '', sections: () => [] };
    const [section] = setView.sections(result, 'checker', ctx);
    const texts = section?.blocks.flatMap((b) => (b.type === 'text' && b.role === 'explain' ? [b.text] : []));
    expect(texts).toEqual([
      'Set anomalies: 2 lost.',
      '1 element was acknowledged and then lost: acknowledged by n1 (1) between 4.0 s and 4.0 s, during no fault (1).',
      '1 of the 2 lost elements was never acknowledged (1 ended info): no durability promise covered them; ' +
        'they count as lost because a read saw them and later reads did not.',
    ]);
  });

  it('draws nothing for a valid result', () => {
    const result = checkSet([]);
    const ctx = { history: [], timeOf: () => 0, summary: () => '', sections: () => [] };
    expect(setView.sections({ ...result, valid: true }, 'checker', ctx)).toEqual([]);
  });
});
