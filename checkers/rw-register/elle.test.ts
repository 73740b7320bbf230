/**
 * Every rw-register entry of ../shared/histories/elle/MANIFEST.json gives
 * Elle's recorded verdict, anomaly types and ruled-out models (and, where
 * Elle's whole result is stored, its also-not list), except the entries in
 * DEVIATIONS, which say why faultline answers differently. Entries whose
 * verdict comes from the case's name (no stored result) are held to the
 * verdict only.
 */
import { describe, expect, it } from 'vitest';
import { missing } from '../../harness/testing/requirements.js';
import {
  DEVIATIONS,
  ELLE_MANIFEST,
  elleEntries,
  elleExpected,
  elleHistory,
  faultlineModelName,
} from '../txn/testing/elle-manifest.js';
import { checkRwRegister } from './index.js';

describe.skipIf(missing({ paths: [ELLE_MANIFEST] }))('rw-register on the histories Elle checked', () => {
  const entries = missing({ paths: [ELLE_MANIFEST] }) ? [] : elleEntries('rw-register');

  it('covers the manifest', () => {
    expect(entries.length).toBeGreaterThanOrEqual(14);
  });

  it.each(entries.map((e) => [e.file, e] as const))('%s', (file, entry) => {
    const result = checkRwRegister(elleHistory(entry), {
      consistencyModels: entry.options['consistency-models'] as string[],
      anomalies: entry.options.anomalies as string[],
      linearizableKeys: entry.options['linearizable-keys?'] as boolean | undefined,
      sequentialKeys: entry.options['sequential-keys?'] as boolean | undefined,
      wfrKeys: entry.options['wfr-keys?'] as boolean | undefined,
      transactionOrder: entry.options['transaction-order'] as Record<string, number> | undefined,
    });
    const deviation = DEVIATIONS[file];
    expect(result.valid).toBe(deviation?.valid ?? entry.valid);
    // Entries whose verdict comes from the case's name have no anomaly types or models recorded.
    const recorded = entry.validSource === undefined;
    if (deviation) expect(result.anomalyTypes).toEqual(deviation.anomalyTypes);
    else if (recorded) expect(result.anomalyTypes).toEqual(entry.anomalyTypes);
    if (recorded) expect(result.not).toEqual(entry.not);
    const expected = elleExpected(entry);
    if (expected && Array.isArray(expected['also-not'])) {
      expect(result.alsoNot).toEqual((expected['also-not'] as string[]).map(faultlineModelName).sort());
    }
  });
});
