/**
 * How a checker's result is shown to people: one line for terminals, CI and
 * JUnit (`summary`), and sections of the HTML report (`sections`) made of a
 * small vocabulary of blocks that the report page knows how to draw. Each
 * checker folder has a `view.ts` with its ResultView, registered in
 * ./views.ts; the report dispatches on `kind` and shows a plain view (the
 * verdict, the error and the result as JSON) for a kind it does not know.
 *
 * Blocks are plain data (JSON): the report embeds them in the page and draws
 * them with textContent only, so any text in them is safe to come from a history.
 */
import type { History, Json } from '../harness/history/op.js';
import type { CheckResult, ResultBase } from './checker.js';

/** A table cell: text, a number, a time (ns since the test started, shown in seconds), or empty. */
export type Cell = string | number | { time: number } | null;

/** An operation drawn on its process's lane. Times are ns since the test started. */
export interface DiagramOp {
  /** Unique within the block (e.g. the invocation's history index). */
  id: string;
  process: string;
  /** e.g. "cas 1→2", "read 3". */
  text: string;
  invoke: { index: number; time: number };
  /** null: it never completed. */
  complete: { index: number; time: number } | null;
  /** It may or may not have happened (completed with info, or never). */
  indeterminate: boolean;
  /** How to draw it: the op that went wrong, the last one that was fine, or any other. */
  role: 'failed' | 'last-ok' | 'other';
  /** The node that served it, when known. */
  node?: string | undefined;
}

/** One order of some of the block's ops (e.g. a partial linearization), drawn as a path through them. */
export interface DiagramPath {
  label: string;
  /** What the steps are, e.g. "Partial linearization, step by step (the model state after each op):". */
  caption: string;
  /** The steps in order; `op` is a DiagramOp id. `detail` is shown highlighted after the text (e.g. the state). */
  steps: { op: string; text: string; detail?: string | undefined }[];
  /** Steps before the first listed one that were left out. */
  omitted: number;
  /** A last line saying why the order cannot go on, e.g. "✗ process 3: read 2 — cannot follow: ...". */
  end?: string | undefined;
}

/** One op of a history listing. Times are ns since the test started. */
export interface HistoryRow {
  /** History index of the invocation. */
  index: number;
  process: string;
  f: string;
  /** The op's value as short text: what a read returned, else what was invoked. */
  value: string;
  outcome: 'ok' | 'fail' | 'info' | 'open';
  /** The node that served it, when recorded. */
  node?: string | undefined;
  /** Why it failed or is indeterminate, as short text. */
  error?: string | undefined;
  invoke: number;
  /** null: it never completed. */
  complete: number | null;
  /** Marks the op that went wrong and the last one that was fine. */
  role?: 'failed' | 'last-ok' | undefined;
}

export type Block =
  /** A paragraph; `explain` marks the sentence that says what went wrong. */
  | { type: 'text'; text: string; role?: 'explain' | 'note' | undefined }
  /** A table; `total` says how many rows there were when only some are listed. */
  | { type: 'table'; columns: string[]; rows: Cell[][]; caption?: string | undefined; total?: number | undefined }
  /** Operations on per-process lanes over time, with orders of them a reader can switch between. */
  | { type: 'ops'; ops: DiagramOp[]; paths: DiagramPath[]; legend?: string | undefined }
  /** A small directed graph, e.g. a dependency cycle between transactions. */
  | {
      type: 'graph';
      nodes: { id: string; label: string; detail?: string | undefined }[];
      edges: { from: string; to: string; label: string; detail?: string | undefined }[];
    }
  /** A numbered list of steps; `detail` is shown highlighted after the text. */
  | {
      type: 'steps';
      caption?: string | undefined;
      steps: { text: string; detail?: string | undefined }[];
      omitted?: number | undefined;
    }
  /**
   * A long list of ops (e.g. every op on the failing key), browsed a page at a
   * time. `rows` are ops `offset` to `offset + rows.length - 1` of `total`
   * (the report may keep only a window of a huge listing).
   */
  | { type: 'history'; caption?: string | undefined; rows: HistoryRow[]; total: number; offset: number }
  /** A value shown as indented JSON (cut when huge). */
  | { type: 'json'; value: Json };

/** One part of the report's anomaly area. */
export interface ReportSection {
  /** What kind of finding this is (the page's data-kind), e.g. "linearizable", "set", "G-single". */
  kind: string;
  /** The checker that found it (its name in a composition). */
  checker: string;
  title: string;
  blocks: Block[];
}

/** What a view may use besides the result. */
export interface ViewContext {
  history: History;
  /** ns since the test started of the op at history position `index` (histories without times: index seconds). */
  timeOf(index: number): number;
  /** The summary line of a nested result (e.g. inside a composition). */
  summary(result: CheckResult): string;
  /** The sections of a nested result, found by `checker`. */
  sections(result: CheckResult, checker: string): ReportSection[];
  /**
   * The run's fault windows (ns since the test started; `end` absent while
   * still open at the end), when the report has them: a view can say which
   * fault an op happened in. Empty or absent for a history without them.
   */
  faults?: readonly ViewFaultWindow[] | undefined;
}

/** A fault window as views see it, e.g. { fault: 'partition', start: 10.2e9, end: 27.3e9 }. */
export interface ViewFaultWindow {
  fault: string;
  start: number;
  end?: number | undefined;
}

export interface ResultView<R extends ResultBase> {
  readonly kind: R['kind'];
  /** One line: what went wrong, or that nothing did. */
  summary(result: R, ctx: Pick<ViewContext, 'summary'>): string;
  /** What the report shows; [] when there is nothing to draw (a valid result usually). */
  sections(result: R, checker: string, ctx: ViewContext): ReportSection[];
}

/** A ResultView, typed by its result (keeps each view file free of casts). */
export function defineView<R extends ResultBase>(view: ResultView<R>): ResultView<R> {
  return view;
}
