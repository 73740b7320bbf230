import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { faultWindows } from './fault-windows.js';

const nem = (index: number, time: number, f: string, value?: Op['value']): Op => ({
  index,
  time,
  type: 'info',
  process: 'nemesis',
  f,
  value,
});

describe('faultWindows', () => {
  const specs = [
    { start: 'start-partition', stop: 'stop-partition', label: 'partition' },
    { start: 'kill', stop: 'start', label: 'kill' },
  ];

  it('opens a window when a start op completes and closes it when the stop op completes', () => {
    const history: Op[] = [
      nem(0, 10, 'start-partition'),
      { index: 1, time: 11, type: 'invoke', process: 0, f: 'read', value: null },
      nem(2, 20, 'start-partition', { grudge: { n1: ['n2'] } }),
      nem(3, 30, 'kill'),
      nem(4, 40, 'kill', ['n3']),
      nem(5, 50, 'stop-partition'),
      nem(6, 60, 'stop-partition', 'healed'),
    ];
    expect(faultWindows(history, specs)).toEqual([
      { fault: 'partition', start: 20, end: 60, detail: { grudge: { n1: ['n2'] } } },
      { fault: 'kill', start: 40, detail: ['n3'] },
    ]);
  });

  it('opens no window for a fault op that failed', () => {
    const failed: Op = { ...nem(1, 2, 'start-partition', null), error: 'iptables: permission denied' };
    expect(faultWindows([nem(0, 1, 'start-partition'), failed], specs)).toEqual([]);
  });

  it('ignores a stop with no open window', () => {
    expect(faultWindows([nem(0, 1, 'stop-partition'), nem(1, 2, 'stop-partition')], specs)).toEqual([]);
  });
});
