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
      [['1', { time: 1 * ms }, { time: 2 * ms }, 'ok', { time: 4 * ms }]],
      [['9', null, null, 'never added', { time: 6 * ms }]],
    ]);
    expect(setView.summary(result, { summary: () => '' })).toBe('set: 1 lost, 1 unexpected element(s)');
  });

  it('draws nothing for a valid result', () => {
    const result = checkSet([]);
    const ctx = { history: [], timeOf: () => 0, summary: () => '', sections: () => [] };
    expect(setView.sections({ ...result, valid: true }, 'checker', ctx)).toEqual([]);
  });
});
