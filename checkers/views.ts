/**
 * The registry of result views: how each kind of checker result is
 * summarised in a line and drawn in the report (see ./view.ts). To add a
 * checker, write its folder with a view.ts and add its view here.
 */

import { bankView } from './bank/view.js';
import type { CheckerErrorResult, CheckResult, ComposedResult, NoopResult, ResultBase } from './checker.js';
import { linearizableView } from './linearizable/view.js';
import { listAppendView } from './list-append/view.js';
import { rwRegisterView } from './rw-register/view.js';
import { sessionView } from './session/view.js';
import { setView } from './set/view.js';
import { statsView } from './stats/view.js';
import { defineView, type ResultView } from './view.js';

const noopView = defineView<NoopResult>({
  kind: 'noop',
  summary: () => 'no checker: every history is accepted',
  sections: () => [],
});

const checkerErrorView = defineView<CheckerErrorResult>({
  kind: 'checker-error',
  summary: (r) => r.error,
  sections: (r, checker) => [
    {
      kind: 'checker-error',
      checker,
      title: 'The checker failed',
      blocks: [{ type: 'text', role: 'explain', text: r.error }],
    },
  ],
});

/** Lists each checker's verdict; the sections of each nested result follow. */
const composeView = defineView<ComposedResult>({
  kind: 'compose',
  summary(r, ctx) {
    const parts = Object.entries(r.results).map(([name, sub]) => `${name}: ${ctx.summary(sub)}`);
    return parts.join('; ');
  },
  sections(r, _checker, ctx) {
    return Object.entries(r.results).flatMap(([name, sub]) => ctx.sections(sub, name));
  },
});

// biome-ignore lint/suspicious/noExplicitAny: each view is typed by its own result kind
const VIEWS: readonly ResultView<any>[] = [
  noopView,
  checkerErrorView,
  composeView,
  linearizableView,
  setView,
  statsView,
  sessionView,
  listAppendView,
  rwRegisterView,
  bankView,
];

const byKind = new Map<string, ResultView<ResultBase>>(VIEWS.map((v) => [v.kind, v]));

/** The view of a result kind, or undefined for a kind no registered checker makes (a plugin's, a newer version's). */
export function viewOf(kind: string): ResultView<ResultBase> | undefined {
  return byKind.get(kind);
}

/** Adds the view of a plugin's result kind (a later registration of the same kind wins). */
export function registerView<R extends ResultBase>(view: ResultView<R>): void {
  byKind.set(view.kind, view as unknown as ResultView<ResultBase>);
}

/** One line for any result: its view's summary, or the error / verdict for an unknown kind. */
export function summarize(result: CheckResult | ResultBase): string {
  const view = viewOf(result.kind);
  if (view) return view.summary(result, { summary: summarize });
  if (result.error) return result.error;
  return result.valid === true ? 'valid' : result.valid === false ? 'invalid' : 'unknown';
}
