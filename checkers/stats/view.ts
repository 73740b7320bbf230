/** How a stats result is shown: one line, and a table of outcomes per f when some f never succeeded. */
import { defineView } from '../view.js';
import type { StatsResult } from './index.js';

export const statsView = defineView<StatsResult>({
  kind: 'stats',
  summary(r) {
    if (r.valid === true) return `stats: every f succeeded at least once (${r.counts.map((c) => c.f).join(', ')})`;
    return `stats: ${r.error ?? 'undecided'}`;
  },
  sections(r, checker) {
    if (r.valid === true) return [];
    return [
      {
        kind: 'stats',
        checker,
        title: 'Operations that never succeeded',
        blocks: [
          { type: 'text', role: 'explain', text: r.error ?? 'undecided' },
          {
            type: 'table',
            columns: ['f', 'ok', 'fail', 'info', 'never completed'],
            rows: r.counts.map((c) => [c.f, c.ok, c.fail, c.info, c.open]),
          },
        ],
      },
    ];
  },
});
