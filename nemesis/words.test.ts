import { describe, expect, it } from 'vitest';
import type { Json } from '../harness/history/op.js';
import { historyFaultWindows } from './registry.js';
import { grudgeWords } from './words.js';

describe('faults in words', () => {
  it('a clean split of a partition reads as its groups, anything else as who cannot hear whom', () => {
    expect(
      grudgeWords({
        n1: ['n3', 'n4', 'n5'],
        n2: ['n3', 'n4', 'n5'],
        n3: ['n1', 'n2'],
        n4: ['n1', 'n2'],
        n5: ['n1', 'n2'],
      }),
    ).toBe('n1 n2 | n3 n4 n5');
    expect(grudgeWords({ n1: ['n2'], n2: ['n1', 'n3'], n3: ['n2'] })).toBe('n1 n3 | n2');
    // A bridge: n2 hears both sides, n1 and n3 do not hear each other.
    expect(grudgeWords({ n1: ['n3'], n2: [], n3: ['n1'] })).toBe('n1 ✗ n3; n3 ✗ n1');
    expect(grudgeWords('nonsense')).toBe('');
  });

  it("each fault's window carries its words in results (odd recorded values say less, never throw)", () => {
    const op = (index: number, f: string, value: Json) =>
      ({ index, time: index, type: 'info', process: 'nemesis', f, value }) as const;
    const windows = historyFaultWindows([
      op(0, 'pause', null),
      op(1, 'pause', { paused: { n3: [41] } }),
      op(2, 'bump-clock', null),
      op(3, 'bump-clock', { offsets: { n1: 500, n2: 0 }, measured: { n1: { offsetMs: 498 } } }),
      op(4, 'remove-member', null),
      op(5, 'remove-member', { removed: ['n5'], members: ['n1', 'n2', 'n3', 'n4'] }),
      op(6, 'kill', null),
      op(7, 'kill', 42),
    ]);
    expect(windows.map((w) => [w.fault, w.text])).toEqual([
      ['pause', 'paused n3'],
      ['clock skew', 'n1 +500 ms'],
      ['membership', 'removed n5, members n1 n2 n3 n4'],
      ['kill', undefined],
    ]);
  });
});
