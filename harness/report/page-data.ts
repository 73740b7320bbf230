/**
 * Everything the report page draws, computed here (pure, testable) and
 * embedded in the page as JSON. The page script only lays it out.
 */
import type { ResultBase, Validity } from '../../checkers/checker.js';
import type { Op } from '../history/op.js';
import { pairOps } from '../history/pair.js';
import { computeBuckets } from './buckets.js';
import { clockSamplesFromHistory } from './clock.js';
import { pageFaults } from './faults.js';
import { type ClockSample, isRunResults, type ReportInput } from './input.js';
import { DEFAULT_OP_LIMITS, type OpColumnLimits, opColumns } from './ops.js';
import { pageSections } from './page-history.js';
import type { PageData, Verdict } from './page-types.js';
import { resultSections } from './sections.js';
import { shortJson, targetOptionsText, truncate } from './text.js';

export type { PageData, Verdict };

export interface PageDataLimits extends OpColumnLimits {
  /** Characters of the raw checker result shown. */
  checkerJsonChars: number;
  /** Rows of each op listing (history block) of the anomaly area. */
  historyRows: number;
}

export const DEFAULT_LIMITS: PageDataLimits = { ...DEFAULT_OP_LIMITS, checkerJsonChars: 200_000, historyRows: 100_000 };

/** Builds the page's data from the report input. Never throws on odd recorded data. */
export function pageData(input: ReportInput, limits: PageDataLimits = DEFAULT_LIMITS): PageData {
  // test.json and results.json are files on disk: take nothing about their shape for granted.
  const test = input.test === undefined ? undefined : recordFields(input.test);
  const untimed = isUntimed(input.history);
  const history = untimed ? input.history.map((op) => ({ ...op, time: op.index * 1e9 })) : input.history;
  const run = isRunResults(input.results) ? input.results : undefined;
  const checker: ResultBase = run ? run.checker : (input.results as ResultBase);
  const validity: Validity = asValidity(run ? run.valid : checker.valid);
  const verdict: Verdict = validity === true ? 'valid' : validity === false ? 'invalid' : 'unknown';

  const endNs = history.reduce((m, op) => Math.max(m, Number.isFinite(op.time) ? op.time : 0), 0);
  const { columns, elided } = opColumns(history, limits);
  // Recorded windows only: a run's results.json, or what an offline check computed from the fault registry.
  const recorded = (run ? run.faults : (input.faults ?? [])).filter(
    (w) => typeof w === 'object' && w !== null && Number.isFinite(w.start),
  );
  // Without times, an op's time is its position, and so are the windows' times: scale them as the ops.
  const faultWindows = untimed
    ? recorded.map((w) => ({ ...w, start: w.start * 1e9, ...(w.end === undefined ? {} : { end: w.end * 1e9 }) }))
    : recorded;
  const faults = pageFaults(faultWindows, test?.nodes ?? []);
  const faultNames = test?.nemesis.length ? test.nemesis : [...new Set(faults.map((f) => f.fault))];
  const durationSeconds =
    run && typeof run.stats.durationSeconds === 'number' ? run.stats.durationSeconds : endNs / 1e9;

  const rows: [string, string][] = [];
  const add = (label: string, value: unknown): void => {
    if (value !== undefined && value !== null && value !== '') rows.push([label, truncate(String(value), 300)]);
  };
  add('target', test?.target);
  add('workload', test?.workload);
  add('checked file', input.source?.file);
  add('model', input.source?.model ?? modelOf(checker));
  add('faults', faultNames.length ? faultNames.join(', ') : 'none');
  add('target options', test?.targetOptions);
  add('seed', test?.seed);
  add('duration', untimed ? 'not recorded (the history has no times)' : `${durationSeconds.toFixed(1)} s`);
  add('nodes', test?.nodes.join(', '));
  add('runtime', test?.runtime);
  add('concurrency', test?.concurrency);
  add('started', test?.startedAt);
  add('ops', `${countClientOps(history)} client ops, ${history.length} history entries`);

  const checkerText = safeJson(checker);
  const checkerJson =
    checkerText.length > limits.checkerJsonChars
      ? `${checkerText.slice(0, limits.checkerJsonChars)}\n… (${checkerText.length - limits.checkerJsonChars} more characters in results.json)`
      : checkerText;

  const sections = pageSections(
    resultSections(checker, history, (index) => history[index]?.time ?? 0, 'checker', faultWindows),
    limits.historyRows,
  );

  return {
    meta: {
      verdict,
      headline: headline(verdict, checker, run),
      name: test?.name ?? input.source?.file ?? 'history',
      rows,
      warnings: (Array.isArray(run?.warnings) ? run.warnings : []).map((w) =>
        typeof w === 'string' ? truncate(w, 1000) : shortJson(w, 1000),
      ),
      untimed,
    },
    counts: countByF(history),
    elided: [...elided, ...sections.elided],
    endUs: Math.round(endNs / 1000),
    ops: columns,
    buckets: computeBuckets(history, endNs),
    faults,
    sections: sections.sections,
    clock: clockSeries(input.clock ?? clockSamplesFromHistory(history)),
    nodeLogs: (input.nodeLogs ?? []).map((n) => ({ node: n.node, files: n.files.filter(isSafeRelativeLink) })),
    checkerJson,
  };
}

/** The fields of test.json the page shows, each checked (a field of the wrong type is left out). */
function recordFields(test: unknown): {
  name?: string;
  target?: string;
  workload?: string;
  runtime?: string;
  startedAt?: string;
  seed?: number;
  concurrency?: number;
  nemesis: string[];
  nodes: string[];
  /** options.targetOptions as "name: value" pairs (e.g. "readMode: serializable"), when there are any. */
  targetOptions?: string;
} {
  const t = (typeof test === 'object' && test !== null ? test : {}) as Record<string, unknown>;
  const text = (k: string): string | undefined => (typeof t[k] === 'string' ? t[k] : undefined);
  const num = (k: string): number | undefined => (typeof t[k] === 'number' ? t[k] : undefined);
  const list = (k: string): string[] => (Array.isArray(t[k]) ? t[k].map(String) : []);
  return {
    name: text('name'),
    target: text('target'),
    workload: text('workload'),
    runtime: text('runtime'),
    startedAt: text('startedAt'),
    seed: num('seed'),
    concurrency: num('concurrency'),
    nemesis: list('nemesis'),
    nodes: list('nodes'),
    targetOptions: targetOptionsText(t['options']),
  };
}

function asValidity(v: unknown): Validity {
  return v === true || v === false ? v : 'unknown';
}

/** True when every op's time is its position: the reader's stand-in for a history without times. */
function isUntimed(history: readonly Op[]): boolean {
  return history.length >= 2 && history.every((op) => op.time === op.index);
}

/** True for a relative link that stays inside the report's folder (no scheme, no leading slash, no ".."). */
export function isSafeRelativeLink(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(path)) return false;
  return path.split('/').every((seg) => seg !== '..' && seg !== '.' && seg !== '');
}

/** The model a result names (the linearizability checker's do), for the header. */
function modelOf(result: ResultBase): string | undefined {
  const model = (result as { model?: unknown }).model;
  return typeof model === 'string' ? model : undefined;
}

function headline(verdict: Verdict, checker: ResultBase, run: unknown): string {
  if (typeof checker.error === 'string' && checker.error) return truncate(checker.error, 500);
  if (verdict === 'valid')
    return run ? 'The checker found no anomaly in this run.' : 'The checker found no anomaly in this history.';
  if (verdict === 'invalid') return 'The checker found an anomaly: see below.';
  return 'The checker could not decide.';
}

function countClientOps(history: readonly Op[]): number {
  return history.reduce((n, op) => (op.process !== 'nemesis' && op.type === 'invoke' ? n + 1 : n), 0);
}

function countByF(history: readonly Op[]): PageData['counts'] {
  const byF = new Map<string, PageData['counts'][number]>();
  for (const { f, complete } of pairOps(history, { lenient: true })) {
    let row = byF.get(f);
    if (!row) byF.set(f, (row = { f, ok: 0, fail: 0, info: 0, open: 0 }));
    row[complete ? complete.type : 'open'] += 1;
  }
  return [...byF.values()].sort((a, b) => a.f.localeCompare(b.f));
}

function clockSeries(samples: ClockSample[]): PageData['clock'] {
  if (samples.length === 0) return null;
  const nodes = [...new Set(samples.map((s) => s.node))].sort();
  const times = [...new Set(samples.map((s) => Math.round(s.time / 1000)))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const offsets = nodes.map(() => new Array<number | null>(times.length).fill(null));
  for (const s of samples) offsets[nodes.indexOf(s.node)]![at.get(Math.round(s.time / 1000))!] = s.offsetMs;
  return { t: times, nodes, offsets };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch (err) {
    return `(the checker result cannot be shown as JSON: ${(err as Error).message})`;
  }
}
