import type { History } from '../history/op.js';
import type { RunResults } from '../results/results.js';

/** Counts completions per f and type (ok / fail / info), client ops only. */
export function countCompletions(history: History): RunResults['stats']['counts'] {
  const counts: RunResults['stats']['counts'] = {};
  for (const op of history) {
    if (op.process === 'nemesis' || op.type === 'invoke') continue;
    const c = (counts[op.f] ??= { ok: 0, fail: 0, info: 0 });
    c[op.type] += 1;
  }
  return counts;
}
