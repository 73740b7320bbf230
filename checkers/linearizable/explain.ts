/** Plain-text account of a linearizability result, for `faultline check` and logs. */
import type { LinearizableResult, OpSummary, PartialLinearization } from './result.js';

const MAX_STEPS_SHOWN = 6;
const MAX_CONCURRENT_SHOWN = 8;

function opText(op: OpSummary): string {
  const when =
    op.completeIndex === undefined
      ? `op ${op.invokeIndex}, never completed`
      : `ops ${op.invokeIndex}–${op.completeIndex}`;
  return `${op.text} by process ${String(op.process)} (${when})`;
}

function partialText(partial: PartialLinearization): string {
  if (partial.steps.length === 0) return '(nothing could be linearized)';
  const shown = partial.steps.slice(-MAX_STEPS_SHOWN);
  const skipped = partial.steps.length - shown.length + (partial.omittedSteps ?? 0);
  return (skipped > 0 ? `… ${skipped} ops, then ` : '') + shown.map((s) => `${s.op.text} → ${s.stateText}`).join('; ');
}

/** A few lines of plain text. For a true result, one line. */
export function explainLinearizable(result: LinearizableResult): string {
  const scope = `model ${result.model}, ${result.opsChecked} ops, ${result.keys} key${result.keys === 1 ? '' : 's'}, ${result.elapsedMs} ms`;
  if (result.valid === true) return `Linearizable (${scope}).`;
  if (result.valid === 'unknown') {
    const lines = [`Unknown: ${result.error} (${scope}).`];
    for (const f of result.furthest.slice(0, 5)) {
      const key = f.key === undefined ? '' : `key ${JSON.stringify(f.key)}: `;
      lines.push(`  ${key}got as far as ${f.linearized} of ${f.of} ops linearized.`);
    }
    if (result.furthest.length > 5) lines.push(`  … and ${result.furthest.length - 5} more undecided keys.`);
    return lines.join('\n');
  }
  const { failure } = result;
  const lines = [
    `Not linearizable (${scope}):`,
    `  ${failure.explanation}`,
    `  The op that cannot be linearized: ${opText(failure.failedOp)}.`,
    `  The last ok op that could: ${failure.lastOkOp ? opText(failure.lastOkOp) : 'none'}.`,
  ];
  failure.partials.forEach((p, i) => {
    const length = p.steps.length + (p.omittedSteps ?? 0);
    lines.push(
      `  Longest partial linearization${failure.partials.length > 1 ? ` ${i + 1}` : ''} (${length} ops): ${partialText(p)}`,
    );
  });
  if (failure.concurrent.length > 0) {
    const shown = failure.concurrent.slice(0, MAX_CONCURRENT_SHOWN).map((op) => op.text);
    const more = (failure.concurrentTotal ?? failure.concurrent.length) - shown.length;
    lines.push(`  Concurrent with it: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`);
  }
  return lines.join('\n');
}
