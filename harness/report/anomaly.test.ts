import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import type { Op } from '../history/op.js';
import { readHistoryFile } from '../history/read.js';
import { KNOSSOS_DIR } from '../testing/shared-data.js';
import { findAnomalies } from './anomaly.js';

const KNOSSOS = `${KNOSSOS_DIR}cas-register/bad`;

describe('findAnomalies', () => {
  it('finds the linearizability failure in a real checker result, also inside a composed result', async () => {
    const { history } = await readHistoryFile(`${KNOSSOS}/rethink-fail-minimal.edn`);
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    expect(result.valid).toBe(false);
    const [direct] = findAnomalies(result, history);
    expect(direct?.kind).toBe('linearizable');
    if (direct?.kind !== 'linearizable') throw new Error('unreachable');
    expect(direct.failure.failedOp.text).toBe('read 3');
    expect(direct.model).toBe('cas-register');

    const composed = findAnomalies({ valid: false, results: { linear: result, perf: { valid: true } } }, history);
    expect(composed.map((a) => [a.kind, a.checker])).toEqual([['linearizable', 'linear']]);
  });

  it('reports an undecided search with how far it got', () => {
    const anomalies = findAnomalies(
      {
        valid: 'unknown',
        model: 'cas-register',
        error: 'timed out after 10 ms',
        furthest: [{ key: 'k1', linearized: 5, of: 9 }],
      },
      [],
    );
    expect(anomalies).toEqual([
      {
        kind: 'undecided',
        checker: 'checker',
        model: 'cas-register',
        error: 'timed out after 10 ms',
        furthest: [{ key: 'k1', linearized: 5, of: 9 }],
      },
    ]);
  });

  it('times lost and unexpected set elements from the history', () => {
    const ms = 1e6;
    const history = [
      { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1 * ms },
      { index: 1, type: 'ok', process: 0, f: 'add', value: 1, time: 2 * ms },
      { index: 2, type: 'invoke', process: 1, f: 'read', value: null, time: 3 * ms },
      { index: 3, type: 'ok', process: 1, f: 'read', value: [1, 9], time: 4 * ms },
      { index: 4, type: 'invoke', process: 1, f: 'read', value: null, time: 5 * ms },
      { index: 5, type: 'ok', process: 1, f: 'read', value: [9], time: 6 * ms },
    ] as Op[];
    const [a] = findAnomalies(
      { valid: false, lost: [1], unexpected: [9], lostCount: 1, unexpectedCount: 1, stale: [] },
      history,
    );
    expect(a).toEqual({
      kind: 'set',
      checker: 'checker',
      groups: [
        {
          name: 'lost',
          total: 1,
          elements: [{ element: '1', addInvokedUs: 1000, addCompletedUs: 2000, addOutcome: 'ok', lastSeenUs: 4000 }],
        },
        {
          name: 'unexpected',
          total: 1,
          elements: [{ element: '9', addInvokedUs: null, addCompletedUs: null, addOutcome: null, lastSeenUs: 6000 }],
        },
      ],
    });
  });

  it('finds nothing in a valid result', () => {
    expect(findAnomalies({ valid: true }, [])).toEqual([]);
  });
});
