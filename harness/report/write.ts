/**
 * Writes report.html for a results run directory, or next to an offline check.
 * Layout of a run directory: harness/results/results.ts.
 */
import { lstat, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResultBase } from '../../checkers/checker.js';
import { UserError } from '../errors.js';
import type { History, Op } from '../history/op.js';
import type { FaultWindow, RunResults, TestRecord } from '../results/results.js';
import type { NodeLogs } from './input.js';
import { renderReport } from './render.js';

/** Log files listed per node, at most (the rest are still in the folder). */
const MAX_LOG_FILES = 200;

/**
 * Writes `runDir/report.html` for a run, from the run's history and results
 * as they are in memory (the run just made them, or `readStoredRun` read them),
 * with links to the node logs under `runDir/nodes/`. Returns the report's path.
 */
export async function writeRunReport(
  runDir: string,
  run: { test?: TestRecord | undefined; history: History; results: RunResults },
): Promise<string> {
  const nodeLogs = await listNodeLogs(runDir);
  const html = renderReport({ test: run.test, history: run.history, results: run.results, nodeLogs });
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
  check: {
    file: string;
    model?: string | undefined;
    history: readonly Op[];
    result: ResultBase;
    faults?: FaultWindow[] | undefined;
  },
): Promise<string> {
  const html = renderReport({
    history: check.history,
    results: check.result,
    faults: check.faults,
    source: { file: check.file, model: check.model },
  });
  try {
    await writeAtomically(outPath, html);
  } catch (err) {
    throw new UserError(`cannot write the report: ${(err as Error).message}`, { where: outPath, cause: err });
  }
  return outPath;
}

/**
 * Write to a temporary file beside it, then rename: a reader never sees half
 * a report. When either step fails the temporary file is removed (nothing is
 * left behind) and the error is rethrown.
 */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
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
