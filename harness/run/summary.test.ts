import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import { checkSet } from '../../checkers/set/index.js';
import type { Op } from '../history/op.js';
import { describeAnomaly, verdictWord } from './summary.js';

const ms = 1e6;
const op = (index: number, type: Op['type'], process: number, f: string, value: Op['value'], key?: number): Op =>
  ({ index, time: index * ms, type, process, f, value, ...(key === undefined ? {} : { key }) }) as Op;

describe('run summary', () => {
  it('names the verdict', () => {
    expect([verdictWord(true), verdictWord(false), verdictWord('unknown')]).toEqual(['VALID', 'INVALID', 'UNKNOWN']);
  });

  it('describes a linearizability failure, a set anomaly and an unknown', async () => {
    const stale = [
      op(0, 'invoke', 0, 'write', 2, 3),
      op(1, 'ok', 0, 'write', 2, 3),
      op(2, 'invoke', 1, 'read', null, 3),
      op(3, 'ok', 1, 'read', 1, 3),
    ];
    expect(describeAnomaly({ kind: 'noop', valid: true })).toBeUndefined();
    const invalid = await checkLinearizable(stale, { model: 'register' });
    expect(describeAnomaly(invalid)).toBe('not linearizable: key 3: read 1 cannot follow write 2: register holds 2');
    const lost = checkSet([
      op(0, 'invoke', 0, 'add', 1),
      op(1, 'ok', 0, 'add', 1),
      op(2, 'invoke', 0, 'add', 2),
      op(3, 'ok', 0, 'add', 2),
      op(4, 'invoke', 1, 'read', null),
      op(5, 'ok', 1, 'read', [1]),
    ]);
    expect(describeAnomaly(lost)).toBe('set: 1 lost, 0 unexpected element(s)');
    const undecided = { ...invalid, valid: 'unknown' as const, error: 'timed out after 10 ms', furthest: [] };
    expect(describeAnomaly(undecided)).toBe('linearizability undecided: timed out after 10 ms');
  });
});
