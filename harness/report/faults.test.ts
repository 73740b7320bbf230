import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { faultWindowsFromHistory, pageFaults } from './faults.js';

const nemesis = (index: number, f: string, time: number, value: unknown = null): Op =>
  ({ index, type: 'info', process: 'nemesis', f, time, value }) as Op;

describe('faultWindowsFromHistory', () => {
  it('reads Jepsen-style doubled start/stop ops as one window', () => {
    const windows = faultWindowsFromHistory([
      nemesis(0, 'start', 10),
      nemesis(1, 'start', 12, { n1: ['n2'] }),
      nemesis(2, 'stop', 50),
      nemesis(3, 'stop', 55),
      nemesis(4, 'start-kill', 60, ['n3']),
    ]);
    expect(windows).toEqual([
      { fault: 'fault', start: 10, end: 55, detail: { n1: ['n2'] } },
      { fault: 'kill', start: 60, detail: ['n3'] },
    ]);
  });
  it('ignores client ops and nemesis ops that are not start/stop', () => {
    expect(faultWindowsFromHistory([{ index: 0, type: 'invoke', process: 1, f: 'start', time: 0 } as Op, nemesis(1, 'bump-clock', 3)])).toEqual([]);
  });
});

describe('pageFaults', () => {
  it('names the nodes a fault touched and converts times to µs', () => {
    const [f] = pageFaults([{ fault: 'partition', start: 2000, end: 9000, detail: { n1: ['n2', 'n3'] } }], ['n1', 'n2', 'n3', 'n4']);
    expect(f).toEqual({ fault: 'partition', startUs: 2, endUs: 9, nodes: ['n1', 'n2', 'n3'], detail: '{"n1":["n2","n3"]}' });
  });
});
