import { describe, expect, it } from 'vitest';
import type { ResultBase } from '../../checkers/checker.js';
import { checkSet } from '../../checkers/set/index.js';
import type { Op } from '../history/op.js';
import { resultSections } from './sections.js';

const history = [
  { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1 },
  { index: 1, type: 'ok', process: 0, f: 'add', value: 1, time: 2 },
  { index: 2, type: 'invoke', process: 1, f: 'read', value: null, time: 3 },
  { index: 3, type: 'ok', process: 1, f: 'read', value: [], time: 4 },
] as Op[];
const timeOf = (i: number) => history[i]?.time ?? 0;

describe('resultSections', () => {
  it('dispatches on kind, also inside a composed result, naming each nested checker', () => {
    const set = checkSet(history);
    const composed = {
      kind: 'compose' as const,
      valid: false as const,
      results: { elements: set, quiet: { kind: 'noop' as const, valid: true as const } },
    };
    expect(resultSections(composed, history, timeOf).map((s) => [s.kind, s.checker])).toEqual([['set', 'elements']]);
  });

  it('shows a kind it does not know as its verdict, error and JSON, and nothing for a valid one', () => {
    const plugin: ResultBase = { kind: 'my-plugin', valid: false, error: 'queue lost 3 messages' };
    const [section] = resultSections(plugin, history, timeOf);
    expect(section?.title).toBe('Result of my-plugin: invalid');
    expect(section?.blocks).toEqual([
      { type: 'text', role: 'explain', text: 'queue lost 3 messages' },
      { type: 'json', value: plugin },
    ]);
    expect(resultSections({ kind: 'my-plugin', valid: true }, history, timeOf)).toEqual([]);
  });

  it('falls back to the plain view when a view throws on odd recorded data', () => {
    const broken = { kind: 'set', valid: false, lost: 'not a list' } as unknown as ResultBase;
    const [section] = resultSections(broken, history, timeOf);
    expect(section?.blocks[0]).toMatchObject({ type: 'text', role: 'note' });
  });
});
