/**
 * The histories Elle has checked (../shared/histories/elle, see its
 * README.md), for tests: each MANIFEST entry with its history read and the
 * options turned into faultline's. Where faultline deliberately answers
 * differently from Elle's recorded result, DEVIATIONS says how and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Op } from '../../../harness/history/op.js';
import { parseHistory } from '../../../harness/history/read.js';
import { SHARED_DIR } from '../../../harness/testing/shared-data.js';

export const ELLE_DIR = join(SHARED_DIR, 'histories/elle');
export const ELLE_MANIFEST = join(ELLE_DIR, 'MANIFEST.json');

export interface ElleEntry {
  file: string;
  model: 'list-append' | 'rw-register' | 'bank';
  options: Record<string, unknown>;
  valid: boolean | 'unknown';
  anomalyTypes?: string[];
  not?: string[];
  expected?: string;
  validSource?: string;
}

export function elleEntries(model: ElleEntry['model']): ElleEntry[] {
  const manifest = JSON.parse(readFileSync(ELLE_MANIFEST, 'utf8')) as { entries: ElleEntry[] };
  return manifest.entries.filter((e) => e.model === model);
}

export function elleHistory(entry: ElleEntry): Op[] {
  return parseHistory(readFileSync(join(ELLE_DIR, entry.file), 'utf8'), { path: entry.file }).history;
}

/** Elle's whole recorded result, when the entry has one. */
export function elleExpected(entry: ElleEntry): Record<string, unknown> | undefined {
  if (!entry.expected) return undefined;
  return JSON.parse(readFileSync(join(ELLE_DIR, entry.expected), 'utf8')) as Record<string, unknown>;
}

/** Elle prints PL-SS as strong-serializable; faultline as strict-serializable. */
export const faultlineModelName = (model: string): string =>
  model === 'strong-serializable' ? 'strict-serializable' : model;

/** Entries where faultline's answer differs from Elle's record on purpose: what faultline gives, and why. */
export const DEVIATIONS: Record<string, { valid: boolean | 'unknown'; anomalyTypes: string[]; why: string }> = {
  'list-append/list-append-anomaly-g2-item.json': {
    valid: false,
    anomalyTypes: ['G-single-item-realtime', 'G2-item'],
    why:
      'T1 completed before T2 was invoked, yet T2 read key 1 empty, missing T1’s append: a cycle of one rt and one ' +
      'rw edge, G-single-item-realtime. Elle misses it (its edge T1 → T2 is both rw and realtime, and its search ' +
      'takes an edge only as all its relationships at once) and falls back to strong-snapshot-isolation-cycle-exists; ' +
      'faultline names the cycle. The verdict and the models ruled out are the same.',
  },
  'rw-register/rw-register-anomaly-g2-item.json': {
    valid: false,
    anomalyTypes: ['G-single-item-realtime', 'G2-item'],
    why: 'as for list-append-anomaly-g2-item: T2 read y = nil after T1, which wrote y = 1, had completed.',
  },
  'rw-register/rw-register-valid-read-nil.json': {
    valid: 'unknown',
    anomalyTypes: ['empty-transaction-graph'],
    why:
      'one transaction reading nil: no dependency between transactions can be inferred, so Elle itself answers ' +
      'unknown (empty-transaction-graph), as its stored result for the list-append twin ' +
      'list-append-valid-read-empty shows; the recorded true comes from the case’s name, not from a stored result.',
  },
};
