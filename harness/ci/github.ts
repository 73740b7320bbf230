/**
 * GitHub Actions: when GITHUB_ACTIONS=true, a series or suite appends a
 * Markdown summary to the file named by $GITHUB_STEP_SUMMARY (shown on the
 * run's page) and prints a workflow command per run that did not pass:
 * `::error` for an invalid or crashed run (and bad config), `::warning` for
 * an unknown or interrupted one, so each shows up as an annotation.
 */
import { relative } from 'node:path';
import { seriesExitCode, verdictCounts } from '../suite/aggregate.js';
import type { RunReport, SeriesResult } from '../suite/series.js';

/** True when running as a GitHub Actions step. */
export function inGithubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/** The workflow command line for a run (with its trailing newline); '' for a valid run. */
export function annotation(run: RunReport): string {
  if (run.verdict === 'valid') return '';
  const level = run.verdict === 'unknown' || run.verdict === 'interrupted' ? 'warning' : 'error';
  const title = `faultline: ${run.verdict} ${run.name} (seed ${run.seed})`;
  const where = run.runDir && run.kept ? ` (results: ${run.runDir})` : '';
  return `::${level} title=${escapeProperty(title)}::${escapeData(`${run.summary ?? run.verdict}${where}`)}\n`;
}

/** The Markdown step summary: a heading with the counts, a table of the runs, the repeats left out. */
export function stepSummary(result: SeriesResult, title: string, cwd: string = process.cwd()): string {
  const exit = seriesExitCode(result);
  const lines = [
    `### ${cell(title)}: ${result.runs.length} runs, ${verdictCounts(result.runs)} (exit ${exit})`,
    '',
    '| | run | target | workload | nemesis | seed | time | result |',
    '| --- | --- | --- | --- | --- | --- | ---: | --- |',
  ];
  for (const run of result.runs) {
    const name = run.count > 1 ? `${run.name} (${run.index}/${run.count})` : run.name;
    const result = [run.verdict === 'valid' ? '' : (run.summary ?? ''), resultsText(run, cwd)].filter((t) => t !== '');
    lines.push(
      `| ${MARK[run.verdict]} ${run.verdict} | ${cell(name)} | ${cell(run.target)} | ${cell(run.workload)} | ` +
        `${cell(run.nemesis.join(', ') || 'none')} | ${run.seed} | ${Math.round(run.durationSeconds)} s | ` +
        `${result.map(cell).join('<br>')} |`,
    );
  }
  for (const s of result.skipped) {
    lines.push('', `${cell(s.series)}: ${s.runs} more run(s) not run after run ${s.afterIndex} was invalid.`);
  }
  if (result.stopped === 'interrupted') lines.push('', 'Interrupted: the remaining runs were not run.');
  if (result.stopped === 'bad-config') lines.push('', 'Stopped: the config does not work on this host.');
  return `${lines.join('\n')}\n\n`;
}

const MARK: Record<RunReport['verdict'], string> = {
  valid: '✅',
  invalid: '❌',
  unknown: '❔',
  crashed: '💥',
  'bad-config': '⛔',
  interrupted: '⏹️',
};

function resultsText(run: RunReport, cwd: string): string {
  if (!run.runDir) return '';
  if (!run.kept) return 'results removed (passed)';
  const rel = relative(cwd, run.runDir);
  return `\`${rel.startsWith('..') ? run.runDir : rel}\``;
}

/** A table cell: no line breaks, and a | that does not end the cell. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Workflow command data: %, CR and LF encoded (GitHub's toolkit escaping). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command property: as data, plus : and , which separate properties. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
