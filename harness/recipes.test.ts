/**
 * The recipes of CONTRIBUTING.md, shown: the noop workload (workloads/noop/,
 * one line in workloads/index.ts) and the stats checker (checkers/stats/, one
 * line in checkers/views.ts) were added by them alone. The registries find
 * them, a run's generator drives them, and the report and the run summary
 * show the new checker's result with no edit of their own.
 */
import { describe, expect, it } from 'vitest';
import { checkStats } from '../checkers/stats/index.js';
import { summarize, viewOf } from '../checkers/views.js';
import { getWorkload, workloadNames } from '../workloads/index.js';
import { simulate } from './generator/index.js';
import { pageData } from './report/page-data.js';
import { describeAnomaly } from './run/summary.js';

const noop = getWorkload('noop');

/** A simulated run of the noop workload where the system answers every op with `type`. */
function run(type: 'ok' | 'fail') {
  return simulate(noop.generator({ concurrency: 3 }), {
    concurrency: 3,
    maxOps: 60,
    respond: () => ({ type, latencyNs: 1e6 }),
  }).history;
}

describe('the CONTRIBUTING recipes', () => {
  it('a new workload is found by name once its folder and registry line exist', () => {
    expect(workloadNames()).toContain('noop');
    expect(noop.vocabulary).toHaveProperty('noop');
  });

  it('a new checker judges the workload, and the summary and the report draw it by kind', async () => {
    const healthy = await noop.checker({ concurrency: 3 }).check(run('ok'));
    expect(healthy.valid).toBe(true);

    const down = run('fail');
    const result = checkStats(down);
    expect(result.valid).toBe(false);
    expect(viewOf('stats')).toBeDefined();
    expect(summarize(result)).toBe('stats: no noop op succeeded');
    expect(describeAnomaly(result)).toBe('stats: no noop op succeeded');

    const page = pageData({ history: down, results: result });
    expect(page.sections.map((s) => s.kind)).toEqual(['stats']);
    const table = page.sections[0]!.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows).toEqual([['noop', 0, 60, 0, 0]]);
  });
});
