/** The bank entries of ../shared/histories/elle/MANIFEST.json give elle-cli's recorded verdicts and error counts. */
import { describe, expect, it } from 'vitest';
import { missing } from '../../harness/testing/requirements.js';
import { ELLE_MANIFEST, elleEntries, elleExpected, elleHistory } from '../txn/testing/elle-manifest.js';
import { checkBank } from './index.js';

describe.skipIf(missing({ paths: [ELLE_MANIFEST] }))('bank on the histories elle-cli checked', () => {
  const entries = missing({ paths: [ELLE_MANIFEST] }) ? [] : elleEntries('bank');

  it('covers the manifest', () => {
    expect(entries.length).toBeGreaterThanOrEqual(4);
  });

  it.each(entries.map((e) => [e.file, e] as const))('%s', (_file, entry) => {
    const result = checkBank(elleHistory(entry), {
      allowNegativeBalances: entry.options['allow-negative-balances'] as boolean,
    });
    expect(result.valid).toBe(entry.valid);
    const expected = elleExpected(entry);
    if (expected) {
      expect(result.readCount).toBe(expected['read-count']);
      expect(result.errorCount).toBe(expected['error-count']);
      const errors = expected.errors as Record<string, { count: number; first: { op: { index: number } } }>;
      for (const [type, group] of Object.entries(errors)) {
        expect(result.errors[type as keyof typeof result.errors]?.count).toBe(group.count);
        expect(result.errors[type as keyof typeof result.errors]?.first.op.completeIndex).toBe(group.first.op.index);
      }
    }
  });
});
