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
