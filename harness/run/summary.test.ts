import { describe, expect, it } from 'vitest';
import { describeAnomaly, verdictWord } from './summary.js';

describe('run summary', () => {
  it('names the verdict', () => {
    expect([verdictWord(true), verdictWord(false), verdictWord('unknown')]).toEqual(['VALID', 'INVALID', 'UNKNOWN']);
  });

  it('describes a linearizability failure, a set anomaly and an unknown', () => {
    expect(describeAnomaly({ valid: true })).toBeUndefined();
    expect(describeAnomaly({ valid: false, failure: { key: 3, explanation: 'read of 3 cannot follow write 2' } })).toBe(
      'not linearizable: key 3: read of 3 cannot follow write 2',
    );
    expect(describeAnomaly({ valid: false, lostCount: 2, unexpectedCount: 0 })).toBe(
      'set: 2 lost, 0 unexpected element(s)',
    );
    expect(describeAnomaly({ valid: 'unknown', error: 'timed out after 10 s' })).toBe('timed out after 10 s');
  });
});
