/**
 * The report's anomaly area: the sections each checker's view draws for its
 * result (checkers/views.ts), found by `kind`. A kind no view knows (a
 * plugin's, a newer version's, a hand-edited results.json) gets a plain
 * view: its verdict, its error and the result as JSON. A view that throws on
 * odd recorded data gets the plain view too, with a note: the report always renders.
 */
import type { CheckResult, ResultBase } from '../../checkers/checker.js';
import type { ReportSection, ViewContext, ViewFaultWindow } from '../../checkers/view.js';
import { summarize, viewOf } from '../../checkers/views.js';
import type { History, Json } from '../history/op.js';

/** The sections for `result`, as checker `checker`, over `history` (times from `timeOf`; the run's fault windows). */
export function resultSections(
  result: ResultBase,
  history: History,
  timeOf: (index: number) => number,
  checker = 'checker',
  faults: readonly ViewFaultWindow[] = [],
): ReportSection[] {
  const ctx: ViewContext = {
    history,
    timeOf,
    faults,
    summary: (r) => summarize(r),
    sections: (r, name) => sectionsOf(r, name),
  };
  return sectionsOf(result, checker);

  function sectionsOf(r: ResultBase, name: string): ReportSection[] {
    const view = typeof r?.kind === 'string' ? viewOf(r.kind) : undefined;
    if (!view) return r?.valid === true ? [] : [plainSection(r, name)];
    try {
      return view.sections(r as CheckResult, name, ctx);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return [plainSection(r, name, `This result could not be drawn (${why}); here it is as recorded.`)];
    }
  }
}

function plainSection(r: ResultBase, checker: string, note?: string): ReportSection {
  const kind = typeof r?.kind === 'string' ? r.kind : 'unknown-kind';
  const verdict = r?.valid === true ? 'valid' : r?.valid === false ? 'invalid' : 'unknown';
  return {
    kind,
    checker,
    title: `Result of ${kind}: ${verdict}`,
    blocks: [
      ...(note ? [{ type: 'text' as const, role: 'note' as const, text: note }] : []),
      ...(typeof r?.error === 'string' ? [{ type: 'text' as const, role: 'explain' as const, text: r.error }] : []),
      { type: 'json', value: r as unknown as Json },
    ],
  };
}
