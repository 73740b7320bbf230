/**
 * Finds the runs under a results folder (results/<test-name>/<timestamp>/,
 * see harness/results/results.ts) for the `faultline serve` index, and
 * filters them by verdict and test name.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResultBase } from '../../checkers/checker.js';
import { summarize } from '../../checkers/views.js';
import { targetOptionsText, truncate } from '../report/text.js';

export const VERDICTS = ['valid', 'invalid', 'unknown', 'not checked'] as const;
export type RunVerdict = (typeof VERDICTS)[number];

export interface RunEntry {
  /** Path of the run folder relative to the served folder, with "/" separators. */
  path: string;
  name: string;
  /** When it started: test.json's startedAt, else the folder's modification time. ISO string. */
  startedAt: string;
  verdict: RunVerdict;
  target: string | undefined;
  workload: string | undefined;
  /** results.json's stats.durationSeconds. */
  durationSeconds: number | undefined;
  seed: number | undefined;
  /** Nemesis package names (test.json's nemesis); empty for none or unknown. */
  nemesis: string[];
  /** The target's options in a line, e.g. "readMode: serializable". */
  targetOptions: string | undefined;
  /** The checker's result in one line (its view's summary), e.g. "not linearizable: read 3 cannot follow ...". */
  summary: string | undefined;
  hasReport: boolean;
  hasHistory: boolean;
  /** Node names with a log folder (nodes/<node>/). */
  nodes: string[];
}

/** Folders searched below the results folder, at most this deep. */
const MAX_DEPTH = 3;
/** Characters of the summary shown in the index. */
const SUMMARY_CHARS = 300;

/**
 * Returns the runs under `dir`, newest first. A run is a folder holding
 * test.json or history.jsonl. Symlinks (e.g. results/latest) are not followed.
 * Unreadable or malformed files make a run show less, never an error.
 */
export async function listRuns(dir: string): Promise<RunEntry[]> {
  const runs: RunEntry[] = [];
  const walk = async (rel: string, depth: number): Promise<void> => {
    const abs = path.join(dir, rel);
    const entries = await readdir(abs, { withFileTypes: true }).catch(() => []);
    const names = new Set(entries.filter((e) => e.isFile()).map((e) => e.name));
    if (rel !== '' && (names.has('test.json') || names.has('history.jsonl'))) {
      runs.push(await describeRun(dir, rel, names));
      return;
    }
    if (depth >= MAX_DEPTH) return;
    for (const e of entries) if (e.isDirectory()) await walk(rel ? `${rel}/${e.name}` : e.name, depth + 1);
  };
  await walk('', 0);
  return runs.sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.path.localeCompare(a.path));
}

/** What the index is asked to show: runs with this verdict and this test name (undefined: any). */
export interface RunFilter {
  verdict?: RunVerdict | undefined;
  test?: string | undefined;
}

/** The filter in a query string (`?verdict=invalid&test=register`); values it does not know are ignored. */
export function parseFilter(query: URLSearchParams): RunFilter {
  const verdict = VERDICTS.find((v) => v === query.get('verdict'));
  const test = query.get('test') || undefined;
  return { verdict, test };
}

export function filterRuns(runs: readonly RunEntry[], filter: RunFilter): RunEntry[] {
  return runs.filter(
    (r) =>
      (filter.verdict === undefined || r.verdict === filter.verdict) &&
      (filter.test === undefined || r.name === filter.test),
  );
}

async function describeRun(dir: string, rel: string, files: Set<string>): Promise<RunEntry> {
  const abs = path.join(dir, rel);
  const test = await readJson(path.join(abs, 'test.json'));
  const results = await readJson(path.join(abs, 'results.json'));
  const valid = results?.['valid'];
  const verdict: RunVerdict =
    valid === true ? 'valid' : valid === false ? 'invalid' : valid === 'unknown' ? 'unknown' : 'not checked';
  let startedAt =
    typeof test?.['startedAt'] === 'string' && !Number.isNaN(Date.parse(test['startedAt']))
      ? test['startedAt']
      : undefined;
  if (!startedAt) startedAt = (await lstat(abs)).mtime.toISOString();
  const nodes = (await readdir(path.join(abs, 'nodes'), { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const stats = record(results?.['stats']);
  const duration = stats?.['durationSeconds'];
  const nemesis = test?.['nemesis'];
  return {
    path: rel,
    name: text(test?.['name']) ?? rel.split('/')[0] ?? rel,
    startedAt,
    verdict,
    target: text(test?.['target']),
    workload: text(test?.['workload']),
    durationSeconds: typeof duration === 'number' && Number.isFinite(duration) ? duration : undefined,
    seed: typeof test?.['seed'] === 'number' ? test['seed'] : undefined,
    nemesis: Array.isArray(nemesis) ? nemesis.filter((n): n is string => typeof n === 'string') : [],
    targetOptions: targetOptionsText(test?.['options']),
    summary: summaryOf(results?.['checker']),
    hasReport: files.has('report.html'),
    hasHistory: files.has('history.jsonl'),
    nodes,
  };
}

/** The checker result's one-line summary; undefined when there is none or it cannot be made from what is recorded. */
function summaryOf(checker: unknown): string | undefined {
  const r = record(checker);
  if (!r || typeof r['kind'] !== 'string') return undefined;
  try {
    const summary: unknown = summarize(r as unknown as ResultBase);
    return typeof summary === 'string' && summary !== '' ? truncate(summary, SUMMARY_CHARS) : undefined;
  } catch {
    // A hand-edited or older results.json whose fields a view does not find: the index shows no sentence.
    return undefined;
  }
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return record(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return undefined;
  }
}
