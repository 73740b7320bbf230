/**
 * Writes report.html for a results run directory, or next to an offline check.
 * Layout of a run directory: harness/results/results.ts.
 */
import { lstat, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResultBase } from '../../checkers/checker.js';
import { UserError } from '../errors.js';
import type { Op } from '../history/op.js';
import { readHistoryFile } from '../history/read.js';
import type { RunResults, TestRecord } from '../results/results.js';
import type { NodeLogs } from './input.js';
import { renderReport } from './render.js';

/** Log files listed per node, at most (the rest are still in the folder). */
const MAX_LOG_FILES = 200;

/**
 * Reads test.json, history.jsonl, results.json and nodes/ of `runDir` and
 * writes `runDir/report.html`. Returns the report's path.
 * Throws UserError naming the file when history.jsonl or results.json is
 * missing or malformed (test.json and nodes/ are optional: the report says less).
 */
export async function writeRunReport(runDir: string): Promise<string> {
  const test = await readJsonFile<TestRecord>(path.join(runDir, 'test.json'), { optional: true });
  const results = await readJsonFile<RunResults>(path.join(runDir, 'results.json'), { optional: false });
  const { history } = await readHistoryFile(path.join(runDir, 'history.jsonl'), { format: 'jsonl' });
  const nodeLogs = await listNodeLogs(runDir);
  const html = renderReport({ test, history, results: results!, nodeLogs });
  const out = path.join(runDir, 'report.html');
  await writeAtomically(out, html);
  return out;
}

/**
 * Writes the report of an offline `faultline check` to `outPath`.
 * `file` is the checked history file (shown in the header), `model` the model name.
 * Returns `outPath`.
 */
export async function writeCheckReport(
  outPath: string,
  check: { file: string; model?: string | undefined; history: readonly Op[]; result: ResultBase },
): Promise<string> {
  const html = renderReport({
    history: check.history,
    results: check.result,
    source: { file: check.file, model: check.model },
  });
  try {
    await writeAtomically(outPath, html);
  } catch (err) {
    throw new UserError(`cannot write the report: ${(err as Error).message}`, { where: outPath, cause: err });
  }
  return outPath;
}

/** Write to a temporary file beside it, then rename: a reader never sees half a report. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
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

/** Lists regular files under nodes/<node>/ (recursively, symlinks skipped) as links relative to runDir. */
export async function listNodeLogs(runDir: string): Promise<NodeLogs[]> {
  const nodesDir = path.join(runDir, 'nodes');
  let nodes: string[];
  try {
    nodes = (await readdir(nodesDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  const result: NodeLogs[] = [];
  for (const node of nodes.sort()) {
    const files: string[] = [];
    const walk = async (rel: string, depth: number): Promise<void> => {
      if (depth > 4 || files.length >= MAX_LOG_FILES) return;
      const entries = await readdir(path.join(nodesDir, node, rel), { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        const stat = await lstat(path.join(nodesDir, node, child)).catch(() => undefined);
        if (stat?.isDirectory()) await walk(child, depth + 1);
        else if (stat?.isFile() && files.length < MAX_LOG_FILES) files.push(`nodes/${node}/${child}`);
      }
    };
    await walk('', 0);
    result.push({ node, files });
  }
  return result;
}
