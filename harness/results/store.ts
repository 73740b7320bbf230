/**
 * Creating and reading run folders (layout in results.ts). Written in phases:
 * test.json at the start, history.jsonl as the run goes, results.json and
 * report.html after checking, so `faultline analyze` can re-check any stored run.
 */
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { History } from '../history/op.js';
import { readHistoryFile } from '../history/read.js';
import { makeDir, makeDirFailure } from '../make-dir.js';
import type { RunResults, TestRecord } from './results.js';

export const RUN_FILES = {
  test: 'test.json',
  history: 'history.jsonl',
  results: 'results.json',
  report: 'report.html',
  log: 'faultline.log',
  nodes: 'nodes',
} as const;

/** A timestamp that sorts and is safe in a path: 20261122T140512.123Z */
export function runTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '');
}

/**
 * Makes results/<name>/<timestamp>/ and writes test.json. Returns the folder.
 * Throws UserError naming --results-dir when the folder cannot be created or
 * written (a path under /proc, a read-only or full disk, no permission).
 */
export async function createRunDir(resultsRoot: string, record: TestRecord): Promise<string> {
  const dir = resolve(resultsRoot, record.name, runTimestamp(new Date(record.startedAt)));
  const where = `--results-dir ${resultsRoot}`;
  try {
    await makeDir(join(dir, RUN_FILES.nodes));
  } catch (err) {
    throw new UserError(makeDirFailure(dir, err), { where, cause: err });
  }
  await writeTestRecord(dir, record);
  try {
    await pointLatestAt(resultsRoot, dir);
  } catch (err) {
    throw new UserError(`cannot point ${join(resultsRoot, 'latest')} at the run: ${(err as Error).message}`, {
      where,
      cause: err,
    });
  }
  return dir;
}

/** results/latest -> the newest run (relative, so the folder can be moved or archived). */
export async function pointLatestAt(resultsRoot: string, runDir: string): Promise<void> {
  const link = resolve(resultsRoot, 'latest');
  await rm(link, { force: true });
  await symlink(relative(resolve(resultsRoot), runDir), link);
}

/** (Re)writes test.json, e.g. once the node names are known. Throws UserError naming the file when it cannot. */
export async function writeTestRecord(runDir: string, record: TestRecord): Promise<void> {
  await writeRunFile(join(runDir, RUN_FILES.test), `${JSON.stringify(record, null, 2)}\n`);
}

/** Writes results.json. Throws UserError naming the file when it cannot. */
export async function writeResults(runDir: string, results: RunResults): Promise<void> {
  await writeRunFile(join(runDir, RUN_FILES.results), `${JSON.stringify(results, null, 2)}\n`);
}

async function writeRunFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (err) {
    throw new UserError(`cannot write: ${(err as Error).message}`, { where: file, cause: err });
  }
}

/**
 * The warnings an earlier check of a stored run recorded (they describe the
 * run, e.g. a fault that had no effect, so a re-check keeps them). [] when
 * there is no readable results.json (a run killed before it was checked).
 */
export async function readStoredWarnings(runDir: string): Promise<string[]> {
  try {
    const stored = JSON.parse(await readFile(join(runDir, RUN_FILES.results), 'utf8')) as Partial<RunResults>;
    return Array.isArray(stored.warnings) ? stored.warnings.filter((w): w is string => typeof w === 'string') : [];
  } catch {
    return [];
  }
}

/** Reads test.json of a stored run; a clear error when it is not a run folder. */
export async function readTestRecord(runDir: string): Promise<TestRecord> {
  const path = join(runDir, RUN_FILES.test);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new UserError(`not a faultline run folder (no ${RUN_FILES.test})`, { where: runDir, cause });
  }
  try {
    return JSON.parse(text) as TestRecord;
  } catch (cause) {
    throw new UserError(`invalid JSON: ${(cause as Error).message}`, { where: path, cause });
  }
}

/**
 * Reads a stored run: test.json (optional: undefined when missing), history.jsonl
 * and results.json. Throws UserError naming the file (and line, for the
 * history) when one is missing or malformed.
 */
export async function readStoredRun(
  runDir: string,
): Promise<{ test: TestRecord | undefined; history: History; results: RunResults }> {
  const test = await readJsonFile<TestRecord>(join(runDir, RUN_FILES.test), { optional: true });
  const results = await readJsonFile<RunResults>(join(runDir, RUN_FILES.results), { optional: false });
  const { history } = await readHistoryFile(join(runDir, RUN_FILES.history), { format: 'jsonl' });
  return { test, history, results: results! };
}

async function readJsonFile<T>(file: string, { optional }: { optional: boolean }): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (optional && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing (has the run been checked?)' : (err as Error).message;
    throw new UserError(why, { where: file, cause: err });
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new UserError(`not valid JSON: ${(err as Error).message}`, { where: file, cause: err });
  }
}
