/**
 * The table `faultline test --test-count N` and `faultline suite` print at
 * the end: one row per run (verdict, name, seed, time, results folder), the
 * anomaly or error under each run that did not pass, and the repeats left
 * out after an invalid run.
 */
import { relative } from 'node:path';
import { seriesExitCode, verdictCounts } from './aggregate.js';
import type { RunReport, SeriesResult } from './series.js';

const HEADER = ['#', 'verdict', 'test', 'seed', 'time', 'results'];

/** The summary as lines of text (no trailing newline); paths relative to `cwd` when under it. */
export function summaryTable(result: SeriesResult, cwd: string = process.cwd()): string {
  const rows = result.runs.map((run, i) => [
    String(i + 1),
    run.verdict,
    run.count > 1 ? `${run.name} (${run.index}/${run.count})` : run.name,
    String(run.seed),
    `${Math.round(run.durationSeconds)} s`,
    resultsCell(run, cwd),
  ]);
  const widths = HEADER.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ')}`;
  const indent = ' '.repeat(2 + widths[0]! + 2);
  const out = [`${result.runs.length} runs: ${verdictCounts(result.runs)} (exit ${seriesExitCode(result)})`, ''];
  out.push(line(HEADER));
  result.runs.forEach((run, i) => {
    out.push(line(rows[i]!));
    if (run.verdict !== 'valid' && run.summary) out.push(`${indent}${run.summary}`);
  });
  for (const s of result.skipped) {
    const runs = s.runs === 1 ? '1 more run' : `${s.runs} more runs`;
    out.push('', `  ${s.series}: ${runs} not run after run ${s.afterIndex} was invalid (--keep-going runs them)`);
  }
  if (result.stopped === 'interrupted') out.push('', '  interrupted: the runs after this one were not run');
  if (result.stopped === 'bad-config') out.push('', '  stopped: the config does not work on this host (see above)');
  return out.join('\n');
}

function resultsCell(run: RunReport, cwd: string): string {
  if (!run.runDir) return '-';
  if (!run.kept) return '(removed: passed)';
  const rel = relative(cwd, run.runDir);
  return rel.startsWith('..') ? run.runDir : rel;
}
