/**
 * The Knossos reference histories (jepsen-io/knossos data/, shipped in
 * ../shared/histories/knossos beside the repository) give their known verdicts under Knossos
 * semantics (nil reads unconstrained).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../harness/history/op.js';
import { readHistoryFile } from '../../harness/history/read.js';
import { missing } from '../../harness/testing/requirements.js';
import { KNOSSOS_DIR as dir } from '../../harness/testing/shared-data.js';
import { checkLinearizable } from './index.js';

// Without ../shared the suite skips, saying why (in CI it fails instead: see missing()).
const absent = missing({ paths: [`${dir}MANIFEST.json`] });
const manifest: { entries: { file: string; model: string; initial: Json; linearizable: boolean }[] } = absent
  ? { entries: [] }
  : JSON.parse(readFileSync(`${dir}MANIFEST.json`, 'utf8'));

describe.skipIf(absent)('Knossos histories', () => {
  it('ships all 122 of them', () => {
    expect(manifest.entries).toHaveLength(122);
  });

  for (const entry of manifest.entries) {
    it(`${entry.file} is ${entry.linearizable ? 'linearizable' : 'not linearizable'} as a ${entry.model}`, async () => {
      const { history } = await readHistoryFile(dir + entry.file, { format: 'edn' });
      const result = await checkLinearizable(history, {
        model: entry.model,
        initial: entry.initial,
        nilReadsAnyValue: true,
        timeoutMs: 30_000,
      });
      expect(result.valid).toBe(entry.linearizable);
      if (result.valid === false) {
        expect(result.failure.explanation).not.toBe('');
        expect(result.failure.partials.length).toBeGreaterThan(0);
      }
    });
  }

  it('reads nil as a real null without nilReadsAnyValue, so nil-read histories fail', async () => {
    const { history } = await readHistoryFile(`${dir}cas-register/good/memstress3-1.edn`, { format: 'edn' });
    const nilReads = history.filter((op) => op.type === 'ok' && op.f === 'read' && op.value === null);
    expect(nilReads.length).toBeGreaterThan(0);
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    expect(result.valid).toBe(false);
  });
});
