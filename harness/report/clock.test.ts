import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { clockSamplesFromHistory } from './clock.js';

const nemesis = (time: number, value: unknown): Op =>
  ({ index: 0, type: 'info', process: 'nemesis', f: 'bump-clock', time, value }) as Op;

describe('clockSamplesFromHistory', () => {
  it('prefers measured offsets, falls back to the offsets set, and reads Jepsen seconds', () => {
    const samples = clockSamplesFromHistory([
      nemesis(1, { offsets: { n1: 100 }, measured: { n1: { offsetMs: 98, uncertaintyMs: 1 } } }),
      nemesis(2, { offsets: { n2: -5 } }),
      nemesis(3, { 'clock-offsets': { n3: 0.25 } }),
      nemesis(4, { offsets: { n4: 'not a number' } }),
      { index: 1, type: 'ok', process: 1, f: 'read', time: 5, value: { offsets: { n1: 1 } } } as Op,
    ]);
    expect(samples).toEqual([
      { node: 'n1', time: 1, offsetMs: 98 },
      { node: 'n2', time: 2, offsetMs: -5 },
      { node: 'n3', time: 3, offsetMs: 250 },
    ]);
  });
});
