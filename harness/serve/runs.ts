/**
 * Finds the runs under a results folder (results/<test-name>/<timestamp>/,
 * see harness/results/results.ts) for the `faultline serve` index.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface RunEntry {
  /** Path of the run folder relative to the served folder, with "/" separators. */
  path: string;
  name: string;
  /** When it started: test.json's startedAt, else the folder's modification time. ISO string. */
  startedAt: string;
  verdict: 'valid' | 'invalid' | 'unknown' | 'not checked';
  target: string | undefined;
  workload: string | undefined;
  hasReport: boolean;
  hasHistory: boolean;
  /** Node names with a log folder (nodes/<node>/). */
  nodes: string[];
}

/** Folders searched below the results folder, at most this deep. */
const MAX_DEPTH = 3;

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

async function describeRun(dir: string, rel: string, files: Set<string>): Promise<RunEntry> {
  const abs = path.join(dir, rel);
  const test = await readJson(path.join(abs, 'test.json'));
  const results = await readJson(path.join(abs, 'results.json'));
  const valid = results?.['valid'];
  const verdict: RunEntry['verdict'] =
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
  return {
    path: rel,
    name: typeof test?.['name'] === 'string' ? test['name'] : (rel.split('/')[0] ?? rel),
    startedAt,
    verdict,
    target: typeof test?.['target'] === 'string' ? test['target'] : undefined,
    workload: typeof test?.['workload'] === 'string' ? test['workload'] : undefined,
    hasReport: files.has('report.html'),
    hasHistory: files.has('history.jsonl'),
    nodes,
  };
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
