/**
 * The JUnit XML file of a series or suite (`--junit FILE`), for the test
 * views of CI systems (Jenkins, GitLab, GitHub Actions reporters, Azure).
 *
 * One testsuite per run, holding that run's one testcase: the run's facts
 * (target, workload, nemesis, seed, verdict, results folder, report) are the
 * testsuite's properties, because the JUnit schemas CI systems follow allow
 * properties on a testsuite, not on a testcase. An invalid run is a
 * <failure> whose message is the anomaly in a sentence; a run that could
 * not decide (unknown), crashed, was interrupted or found the config wrong
 * is an <error> of that type. Repeats that were not run (after an invalid
 * one) are not testcases (the Ant schema has no "skipped"): the summary
 * table and the GitHub step summary name them.
 *
 * The document is valid by the Jenkins JUnit schema (junit-4.xsd) and by the
 * Apache Ant one (JUnit.xsd); harness/ci/junit.test.ts checks it with xmllint.
 */
import { hostname } from 'node:os';
import type { RunReport, SeriesResult } from '../suite/series.js';
import { xmlAttr, xmlText } from './xml.js';

export interface JunitOptions {
  /** Names the whole (the suite, or the repeated test): the testsuites' package, the testcases' class name. */
  title: string;
  /** Default: this machine's name. */
  host?: string;
}

/** The JUnit XML document for `result`. */
export function junitXml(result: SeriesResult, options: JunitOptions): string {
  const host = options.host ?? (hostname() || 'localhost');
  const suites = result.runs.map((run, id) => testsuite(run, id, options.title, host));
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...suites, '</testsuites>', ''].join('\n');
}

function testsuite(run: RunReport, id: number, title: string, host: string): string {
  const outcome = outcomeElement(run);
  const attrs = {
    name: run.count > 1 ? `${run.series} #${run.index}` : run.series,
    package: title,
    id: String(id),
    // Seconds, no zone: the form both schemas accept (the time is UTC).
    timestamp: run.startedAt.replace(/\.\d+Z$|Z$/, ''),
    hostname: host,
    tests: '1',
    failures: run.verdict === 'invalid' ? '1' : '0',
    errors: outcome && run.verdict !== 'invalid' ? '1' : '0',
    time: run.durationSeconds.toFixed(3),
  };
  const caseAttrs = {
    name: `${run.count > 1 ? `${run.name} #${run.index}` : run.name} (seed ${run.seed})`,
    classname: title,
    time: run.durationSeconds.toFixed(3),
  };
  const lines = [
    `  <testsuite ${attributes(attrs)}>`,
    '    <properties>',
    ...properties(run).map(([name, value]) => `      <property ${attributes({ name, value })}/>`),
    '    </properties>',
    outcome
      ? `    <testcase ${attributes(caseAttrs)}>\n      ${outcome}\n    </testcase>`
      : `    <testcase ${attributes(caseAttrs)}/>`,
    `    <system-out>${xmlText(describeRun(run))}</system-out>`,
    '    <system-err></system-err>',
    '  </testsuite>',
  ];
  return lines.join('\n');
}

function properties(run: RunReport): Array<[string, string]> {
  const props: Array<[string, string]> = [
    ['target', run.target],
    ['workload', run.workload],
    ['nemesis', run.nemesis.join(',') || 'none'],
    ['seed', String(run.seed)],
    ['verdict', run.verdict],
  ];
  if (run.runDir && run.kept) {
    props.push(['results', run.runDir], ['report', `${run.runDir}/report.html`]);
    props.push(['repro', `faultline repro ${run.runDir}`]);
  }
  return props;
}

/** <failure> for an invalid run, <error> for a run without a verdict or an unknown one, undefined for a valid one. */
function outcomeElement(run: RunReport): string | undefined {
  if (run.verdict === 'valid') return undefined;
  const element = run.verdict === 'invalid' ? 'failure' : 'error';
  const message = run.summary ?? run.verdict;
  const body = [message, ...run.warnings.map((w) => `warning: ${w}`)].join('\n');
  return `<${element} ${attributes({ type: run.verdict, message })}>${xmlText(body)}</${element}>`;
}

function describeRun(run: RunReport): string {
  const lines = [`${run.verdict}: ${run.name}, run ${run.index} of ${run.count}, seed ${run.seed}`];
  if (run.summary) lines.push(run.summary);
  for (const warning of run.warnings) lines.push(`warning: ${warning}`);
  if (run.runDir) lines.push(run.kept ? `results: ${run.runDir}` : `results: ${run.runDir} (removed: passed)`);
  return lines.join('\n');
}

function attributes(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}="${xmlAttr(value)}"`)
    .join(' ');
}
