import { describe, expect, it } from 'vitest';
import { mixedResult, runReport } from '../suite/testing/reports.js';
import { annotation, inGithubActions, stepSummary } from './github.js';

describe('GitHub Actions output', () => {
  it('is on only when GITHUB_ACTIONS is "true"', () => {
    expect(inGithubActions({ GITHUB_ACTIONS: 'true' })).toBe(true);
    expect(inGithubActions({ GITHUB_ACTIONS: 'false' })).toBe(false);
    expect(inGithubActions({})).toBe(false);
  });

  it('annotates an invalid or crashed run as an error, an unknown one as a warning, a valid one not at all', () => {
    const [valid, invalid, unknown, crashed] = mixedResult().runs;
    expect(annotation(valid!)).toBe('');
    expect(annotation(invalid!)).toBe(
      '::error title=faultline%3A invalid etcd-set-kill (seed 11)::' +
        'lost 2 acknowledged writes: <3> & "4" | 100%25 gone (results: /tmp/results/etcd-set-kill/20261202T010100.000Z)\n',
    );
    expect(annotation(unknown!)).toMatch(/^::warning title=faultline%3A unknown etcd-cas-pause \(seed 7\)::/);
    expect(annotation(crashed!)).toBe(
      '::error title=faultline%3A crashed etcd-register-none (seed 7)::etcd cluster not ready after 60000 ms\n',
    );
  });

  it('keeps a multi-line message on one workflow command line, and a comma in the title from ending it', () => {
    const line = annotation(runReport({ name: 'a,b', verdict: 'invalid', summary: 'one\ntwo\r\n', kept: false }));
    expect(line).toBe('::error title=faultline%3A invalid a%2Cb (seed 7)::one%0Atwo%0D%0A\n');
    expect(line.split('\n')).toHaveLength(2);
  });

  it('summarises the runs as a Markdown table, with the repeats not run', () => {
    const md = stepSummary(mixedResult(), 'nightly', '/tmp/results');
    const lines = md.split('\n');
    expect(lines[0]).toBe('### nightly: 5 runs, 2 valid, 1 invalid, 1 unknown, 1 crashed (exit 1)');
    const rows = lines.filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(2 + 5); // header, alignment, one row per run
    expect(rows[2]).toBe(
      '| ✅ valid | etcd-register-partition | etcd | register | partition | 7 | 13 s | ' +
        '`etcd-register-partition/20261202T010000.123Z` |',
    );
    // The anomaly's | is escaped, so the row keeps its 8 columns.
    expect(rows[3]).toBe(
      '| ❌ invalid | etcd-set-kill (1/3) | etcd | set | kill | 11 | 13 s | ' +
        'lost 2 acknowledged writes: <3> & "4" \\| 100% gone<br>`etcd-set-kill/20261202T010100.000Z` |',
    );
    expect(rows[6]).toContain('| results removed (passed) |');
    expect(md).toContain('etcd-set-kill: 2 more run(s) not run after run 1 was invalid.');
    expect(md.endsWith('\n\n')).toBe(true); // summaries appended one after another stay apart
  });
});
