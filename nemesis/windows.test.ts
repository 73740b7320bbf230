import { describe, expect, it } from 'vitest';
import type { Op } from '../harness/history/op.js';
import { FAULTS, historyFaultWindows as faultWindowsFromHistory, nemesisPackage, windowSpecs } from './registry.js';

const nemesis = (index: number, f: string, time: number, value: unknown = null): Op =>
  ({ index, type: 'info', process: 'nemesis', f, time, value }) as Op;

describe('historyFaultWindows', () => {
  /** A nemesis op as logged: the invocation at `time`, then its completion 1 later. */
  const pair = (index: number, f: string, time: number, value: unknown = null, error?: string): Op[] => [
    nemesis(index, f, time),
    { ...nemesis(index + 1, f, time + 1, value), ...(error !== undefined && { error }) } as Op,
  ];

  it("uses the nemesis packages' windows: kill until start, pause, clock, packet, partition", () => {
    const windows = faultWindowsFromHistory([
      ...pair(0, 'kill', 10, ['n1']),
      ...pair(2, 'start', 20),
      ...pair(4, 'pause', 30, ['n2']),
      ...pair(6, 'resume', 40),
      ...pair(8, 'bump-clock', 50, { n3: 500 }),
      ...pair(10, 'reset-clock', 60),
      ...pair(12, 'strobe-clock', 70, { n3: 'strobe' }),
      ...pair(14, 'reset-clock', 80),
      ...pair(16, 'start-packet', 90, { nodes: ['n4'] }),
      ...pair(18, 'stop-packet', 100),
      ...pair(20, 'start-partition', 110, { n1: ['n2'] }),
    ]);
    expect(windows).toEqual([
      { fault: 'kill', start: 11, end: 21, detail: ['n1'] },
      { fault: 'pause', start: 31, end: 41, detail: ['n2'] },
      { fault: 'clock skew', start: 51, end: 61, detail: { n3: 500 } },
      { fault: 'clock skew', start: 71, end: 81, detail: { n3: 'strobe' } },
      { fault: 'packet loss', start: 91, end: 101, detail: { nodes: ['n4'] } },
      { fault: 'partition', start: 111, detail: { n1: ['n2'] } },
    ]);
  });

  it('opens no window on the restart op start, nor on a fault op that failed', () => {
    expect(faultWindowsFromHistory([...pair(0, 'start', 10), ...pair(2, 'resume', 20)])).toEqual([]);
    const failed = [
      ...pair(0, 'kill', 10, null, 'no such process'),
      ...pair(2, 'start-partition', 20, null, 'iptables: permission denied'),
    ];
    expect(faultWindowsFromHistory(failed)).toEqual([]);
  });

  it('reads Jepsen-style start/stop ops (legacy nemeses) as one window', () => {
    const windows = faultWindowsFromHistory([
      nemesis(0, 'start', 10),
      nemesis(1, 'start', 12, { n1: ['n2'] }),
      nemesis(2, 'stop', 50),
      nemesis(3, 'stop', 55),
    ]);
    expect(windows).toEqual([{ fault: 'fault', start: 12, end: 55, detail: { n1: ['n2'] } }]);
  });

  it('ignores client ops and nemesis ops that open no window', () => {
    expect(
      faultWindowsFromHistory([
        { index: 0, type: 'invoke', process: 1, f: 'start-partition', time: 0 } as Op,
        ...pair(1, 'reset-clock', 3),
      ]),
    ).toEqual([]);
  });

  it("reads every registered fault's windows, and every fault's package draws its own", () => {
    for (const fault of FAULTS) {
      expect(windowSpecs()).toEqual(expect.arrayContaining([...fault.windows]));
      expect(nemesisPackage([fault.name], { intervalSeconds: 1 }).windows).toEqual(fault.windows);
    }
  });
});
