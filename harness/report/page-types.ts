/**
 * The contract between the renderer and the report page: the shape of the
 * JSON that page-data.ts writes into the page and the page script (page/*.ts)
 * reads. The page is type-checked against these types (page/tsconfig.json),
 * so renaming a field breaks the build, not the browser.
 *
 * The page is compiled with the DOM library and without Node's types, so this
 * file and what it imports (checkers/view.ts and the history's op types) must
 * never import anything of Node's. Keep it to types and plain constants.
 */
import type { Block, ReportSection } from '../../checkers/view.js';

export type Verdict = 'valid' | 'invalid' | 'unknown';

/** How an op ended; `open`: invoked, never completed. */
export type Outcome = 'ok' | 'fail' | 'info' | 'open';

/** The outcomes in the order of their codes in `OpColumns.type` (ok is 0). */
export const OUTCOMES = ['ok', 'fail', 'info', 'open'] as const satisfies readonly Outcome[];

/** The client ops as compact columns (see ops.ts). Times are whole µs since the test started. */
export interface OpColumns {
  /** Invocation time, µs. */
  invoke: number[];
  /** Completion time, µs; -1 when the op never completed. */
  complete: number[];
  /** Index into `processes`. */
  proc: number[];
  /** Index into `fs`. */
  f: number[];
  /** Index into OUTCOMES. */
  type: number[];
  /** History index of the invocation. */
  index: number[];
  /** Index into `nodes` of the node that served the op (from its completion); -1 when not recorded. */
  node: number[];
  /** "f value (error)" per op, or null when elided to keep the file small. */
  text: string[] | null;
  processes: string[];
  /** Timeline lane per process (processes that never overlap share a lane). */
  processLane: number[];
  lanes: number;
  fs: string[];
  nodes: string[];
}

/** Latency quantiles and throughput per time bucket (see buckets.ts). */
export interface Buckets {
  /** Bucket width, µs. */
  widthUs: number;
  /** Start of each bucket, µs since the test started. */
  t: number[];
  /** Latency quantiles in ms of ops invoked in the bucket (null: no op completed). */
  p50: (number | null)[];
  p95: (number | null)[];
  p99: (number | null)[];
  max: (number | null)[];
  /** Completions per second in each bucket, one series per f and outcome ("read ok"). */
  throughput: { label: string; values: number[] }[];
}

/** A fault window as the page draws it. Times µs since the test started. */
export interface PageFault {
  fault: string;
  startUs: number;
  /** null when the fault was still active at the end. */
  endUs: number | null;
  /** The nodes the detail names (e.g. the grudge's or the killed nodes), possibly empty. */
  nodes: string[];
  /** The detail as short JSON. */
  detail: string;
  /** What the fault did in a few words, when the fault describes itself (FaultWindow.text). */
  text: string | null;
}

/** The log files of one node, as links relative to the report (e.g. "nodes/n1/etcd.log"). */
export interface NodeLogs {
  node: string;
  files: string[];
}

/**
 * A `history` block (an op listing, see checkers/view.ts) as the page gets
 * it: its rows as columns, texts as positions in `texts` and times in whole
 * µs, so that a listing of 100,000 ops stays a few MB (see page-history.ts).
 */
export interface PageHistoryBlock {
  type: 'history';
  caption?: string | undefined;
  /** Ops in the whole listing; the page has `offset` to `offset + index.length - 1` of them. */
  total: number;
  offset: number;
  /** The distinct texts (process, f, value, node, error) the columns point into. */
  texts: string[];
  /** History index of each op's invocation. */
  index: number[];
  process: number[];
  f: number[];
  value: number[];
  /** Index into OUTCOMES. */
  outcome: number[];
  /** -1: not recorded. */
  node: number[];
  /** -1: none. */
  error: number[];
  /** µs since the test started. */
  invoke: number[];
  /** µs since the test started; -1 when it never completed. */
  complete: number[];
  /** Row positions (in these columns) of the op that went wrong and of the last one that was fine; -1: none. */
  failed: number;
  lastOk: number;
}

/** A block as the page gets it: as the view made it, but for op listings, which come as columns. */
export type PageBlock = Exclude<Block, { type: 'history' }> | PageHistoryBlock;

/** A section of the anomaly area (checkers/view.ts's ReportSection) with its blocks as the page gets them. */
export type PageSection = Omit<ReportSection, 'blocks'> & { blocks: PageBlock[] };

export interface PageData {
  meta: {
    verdict: Verdict;
    /** One line for the banner: the checker's error or a summary. */
    headline: string;
    name: string;
    /** Label and value rows of the header (target, options, seed, duration, ...). */
    rows: [string, string][];
    warnings: string[];
    /**
     * True when the history records no times (Knossos files): times then are
     * history positions, scaled to 1 position = 1 s, and latency charts are left out.
     */
    untimed: boolean;
  };
  /** Completions per f. `open`: invoked, never completed. */
  counts: { f: string; ok: number; fail: number; info: number; open: number }[];
  /** What was left out to keep the page fast and the file small, in sentences. */
  elided: string[];
  /** End of the run, µs since start. */
  endUs: number;
  ops: OpColumns;
  buckets: Buckets;
  faults: PageFault[];
  /** What each checker's view draws for its result (see checkers/view.ts). */
  sections: PageSection[];
  /** Offsets per node, aligned on `t` (µs) for the chart; null when the clock nemesis did not run. */
  clock: { t: number[]; nodes: string[]; offsets: (number | null)[][] } | null;
  nodeLogs: NodeLogs[];
  /** The checker's result as indented JSON (cut when huge). */
  checkerJson: string;
}
