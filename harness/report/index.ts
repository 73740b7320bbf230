/**
 * The self-contained HTML report of a run (or of an offline check).
 *
 *   renderReport(input)                 ReportInput -> one HTML string (pure)
 *   writeRunReport(runDir, run)         a run's history and results -> runDir/report.html
 *   writeCheckReport(path, { file, model, history, result })   offline `faultline check --report`
 *
 * Files: page-data.ts computes everything the page shows (tested in Node), in
 * the shape page-types.ts declares; render.ts wraps it with uPlot, the page
 * script (page/*.ts, bundled by page-script.ts) and page/report.css into one
 * file; buckets.ts, ops.ts, faults.ts, clock.ts, page-history.ts are its parts.
 */

export { clockSamplesFromHistory } from './clock.js';
export type { ClockSample, NodeLogs, ReportInput } from './input.js';
export { REPORT_SIZE_CAP_BYTES, renderReport } from './render.js';
export { writeCheckReport, writeRunReport } from './write.js';
