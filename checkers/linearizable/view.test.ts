import { describe, expect, it } from 'vitest';
import type { History } from '../../harness/history/op.js';
import { readHistoryFile } from '../../harness/history/read.js';
import { missing } from '../../harness/testing/requirements.js';
import { KNOSSOS_DIR } from '../../harness/testing/shared-data.js';
import type { Block, ViewContext } from '../view.js';
import { checkLinearizable } from './index.js';
import { linearizableView } from './view.js';

const ctx = (history: History): ViewContext => ({
  history,
  timeOf: (i) => history[i]?.time ?? 0,
  summary: () => '',
  sections: () => [],
});

describe.skipIf(missing({ paths: [KNOSSOS_DIR] }))('the linearizability view', () => {
  it('draws the failed op, the last ok op and the partial paths of a real failure, naming the key once', async () => {
    const { history } = await readHistoryFile(`${KNOSSOS_DIR}cas-register/bad/rethink-fail-minimal.edn`);
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    expect(result.valid).toBe(false);
    const [section] = linearizableView.sections(result, 'checker', ctx(history));
    expect(section?.kind).toBe('linearizable');
    const ops = section?.blocks.find((b): b is Extract<Block, { type: 'ops' }> => b.type === 'ops');
    expect(ops?.ops.filter((o) => o.role === 'failed').map((o) => o.text)).toEqual(['read 3']);
    expect(ops?.ops.filter((o) => o.role === 'last-ok')).toHaveLength(1);
    expect(ops?.paths.length).toBeGreaterThan(0);
    const explain = section?.blocks.find((b) => b.type === 'text' && b.role === 'explain');
    expect(explain?.type === 'text' && explain.text).toContain('read 3');
    expect(linearizableView.summary(result, { summary: () => '' })).toMatch(/^not linearizable: /);
  });

  it('shows an undecided search with how far it got, and nothing for a valid one', async () => {
    const { history } = await readHistoryFile(`${KNOSSOS_DIR}cas-register/bad/rethink-fail-minimal.edn`);
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    const undecided = {
      ...result,
      valid: 'unknown' as const,
      error: 'timed out after 10 ms',
      furthest: [{ key: 'k1', linearized: 5, of: 9 }],
    };
    const [section] = linearizableView.sections(undecided, 'checker', ctx(history));
    expect(section?.kind).toBe('undecided');
    expect(section?.blocks.find((b) => b.type === 'table')).toEqual({
      type: 'table',
      columns: ['key', 'ops linearized', 'of'],
      rows: [['"k1"', 5, 9]],
      total: 1,
    });
    const valid = { ...result, valid: true as const, error: undefined };
    expect(linearizableView.sections(valid, 'checker', ctx(history))).toEqual([]);
  });
});

describe('the linearizability view of a keyed history with nodes', () => {
  const ms = 1e6;
  // Key 75: write 1 on n1, then a read of 3 (never written) from n5. Key 76: a write 2, fine.
  const history: History = [
    { index: 0, type: 'invoke', process: 0, f: 'write', key: 75, value: 1, time: 1 * ms },
    { index: 1, type: 'ok', process: 0, f: 'write', key: 75, value: 1, time: 2 * ms, node: 'n1' },
    { index: 2, type: 'invoke', process: 2, f: 'write', key: 76, value: 2, time: 3 * ms },
    { index: 3, type: 'ok', process: 2, f: 'write', key: 76, value: 2, time: 4 * ms, node: 'n2' },
    { index: 4, type: 'invoke', process: 1, f: 'read', key: 75, value: null, time: 5 * ms },
    { index: 5, type: 'ok', process: 1, f: 'read', key: 75, value: 3, time: 6 * ms, node: 'n5' },
    { index: 6, type: 'invoke', process: 2, f: 'write', key: 75, value: 4, time: 7 * ms },
    { index: 7, type: 'fail', process: 2, f: 'write', key: 75, value: 4, time: 8 * ms, node: 'n3', error: 'no leader' },
  ];

  it('names the node that served the failed op, and the key only in the title', async () => {
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    expect(result.valid).toBe(false);
    const [section] = linearizableView.sections(result, 'checker', ctx(history));
    expect(section?.title).toBe('Not linearizable on key 75');
    const explain = section?.blocks.find((b) => b.type === 'text' && b.role === 'explain');
    const text = explain?.type === 'text' ? explain.text : '';
    expect(text).toContain("Process 1's read 3 from n5 cannot be placed");
    expect(text).not.toContain('key 75');
    const ops = section?.blocks.find((b): b is Extract<Block, { type: 'ops' }> => b.type === 'ops');
    expect(ops?.ops.find((o) => o.role === 'failed')).toMatchObject({ text: 'read 3 from n5', node: 'n5' });
    expect(ops?.ops.find((o) => o.role === 'last-ok')).toMatchObject({ text: 'write 1 on n1', node: 'n1' });
    expect(ops?.paths[0]?.end).toBe('✗ process 1 via n5: read 3 cannot follow write 1: register holds 1');
  });

  it("lists every op of the failing key, failed ones too, and only that key's", async () => {
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    const [section] = linearizableView.sections(result, 'checker', ctx(history));
    const listing = section?.blocks.find((b): b is Extract<Block, { type: 'history' }> => b.type === 'history');
    expect(listing).toMatchObject({ total: 3, offset: 0 });
    expect(listing?.rows).toEqual([
      {
        index: 0,
        process: '0',
        f: 'write',
        value: '1',
        outcome: 'ok',
        node: 'n1',
        invoke: 1 * ms,
        complete: 2 * ms,
        role: 'last-ok',
      },
      {
        index: 4,
        process: '1',
        f: 'read',
        value: '3',
        outcome: 'ok',
        node: 'n5',
        invoke: 5 * ms,
        complete: 6 * ms,
        role: 'failed',
      },
      {
        index: 6,
        process: '2',
        f: 'write',
        value: '4',
        outcome: 'fail',
        node: 'n3',
        error: 'no leader',
        invoke: 7 * ms,
        complete: 8 * ms,
      },
    ]);
  });
});
