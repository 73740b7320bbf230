/**
 * The JUnit file: valid by the Jenkins JUnit schema (xmllint), and read back
 * by a maintained JUnit parser (junit2json) as one testcase per run with the
 * anomaly as the failure message and the results folder as a property.
 */
import fc from 'fast-check';
import { parse, type TestSuite } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { mixedResult, runReport } from '../suite/testing/reports.js';
import { missing } from '../testing/requirements.js';
import { junitXml } from './junit.js';
import { junitSchemaErrors as schemaErrors } from './testing/junit-schema.js';

describe.skipIf(missing({ commands: ['xmllint'] }))('the JUnit file by the Jenkins JUnit schema', () => {
  it('is valid for runs of every kind, and the check does reject a broken document', async () => {
    expect(await schemaErrors(junitXml(mixedResult(), { title: 'nightly', host: 'ci-host' }))).toBe('');
    expect(await schemaErrors(junitXml({ runs: [], skipped: [] }, { title: 'empty' }))).toBe('');
    // The schema requires a testsuite's name and counts: without them it is refused.
    const broken = junitXml({ runs: [runReport()], skipped: [] }, { title: 't' }).replace(/ tests="1"/, '');
    expect(await schemaErrors(broken)).toMatch(/tests.*required|fails to validate/);
  });

  it('stays valid whatever the anomaly sentence, test name or warning holds', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const runs = fc.array(
      fc.record({ summary: text, name: text, warning: text, verdict: fc.constantFrom('invalid', 'unknown', 'valid') }),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(runs, async (rs) => {
        const result = {
          // "lost ..." first: the parser reads a numeric-looking attribute as a number.
          runs: rs.map((r) =>
            runReport({
              ...r,
              summary: `lost ${r.summary}`,
              series: r.name,
              verdict: r.verdict as 'valid',
              warnings: [r.warning],
            }),
          ),
          skipped: [],
        };
        const xml = junitXml(result, { title: 'prop' });
        expect(await schemaErrors(xml)).toBe('');
        const parsed = await parse(xml);
        const cases = (parsed as { testsuite?: TestSuite[] }).testsuite?.flatMap((s) => s.testcase ?? []) ?? [];
        expect(cases.map((c) => c.failure?.[0]?.message ?? c.error?.[0]?.message)).toEqual(
          rs.map((r) => (r.verdict === 'valid' ? undefined : cleaned(`lost ${r.summary}`))),
        );
      }),
      { numRuns: 40 },
    );
  });
});

/** What an XML parser reads back for text faultline wrote: the characters XML cannot hold become U+FFFD. */
function cleaned(text: string): string {
  let out = '';
  for (const char of text) {
    const c = char.codePointAt(0)!;
    const ok = c < 0x20 ? c === 0x09 || c === 0x0a : !(c >= 0xd800 && c <= 0xdfff) && c !== 0xfffe && c !== 0xffff;
    // A CR in an attribute is kept as a reference (&#13;), so it is read back as a CR.
    out += ok || c === 0x0d ? char : '\uFFFD';
  }
  return out;
}

describe('the JUnit file read by junit2json', () => {
  it('has one testcase per run: the anomaly as the failure message, the results folder as a property', async () => {
    const result = mixedResult();
    const parsed = (await parse(junitXml(result, { title: 'nightly', host: 'ci-host' }))) as {
      testsuite?: TestSuite[];
    };
    const suites = parsed.testsuite ?? [];
    expect(suites).toHaveLength(result.runs.length);
    for (const suite of suites) expect(suite.testcase).toHaveLength(1);

    const [valid, invalid, unknown, crashed, removed] = suites;
    expect(valid?.testcase?.[0]).toMatchObject({ name: 'etcd-register-partition (seed 7)', classname: 'nightly' });
    expect(valid?.testcase?.[0]?.failure).toBeUndefined();
    expect(valid?.testcase?.[0]?.error).toBeUndefined();
    expect(valid).toMatchObject({ tests: 1, failures: 0, errors: 0, time: 12.5, package: 'nightly' });
    expect(valid?.timestamp).toBe('2026-12-02T01:00:00');
    const props = (s: TestSuite | undefined) => Object.fromEntries((s?.properties ?? []).map((p) => [p.name, p.value]));
    expect(props(valid)).toMatchObject({
      target: 'etcd',
      nemesis: 'partition',
      seed: 7,
      verdict: 'valid',
      results: '/tmp/results/etcd-register-partition/20261202T010000.123Z',
      report: '/tmp/results/etcd-register-partition/20261202T010000.123Z/report.html',
    });

    expect(invalid).toMatchObject({ name: 'etcd-set-kill #1', failures: 1, errors: 0 });
    expect(invalid?.testcase?.[0]?.name).toBe('etcd-set-kill #1 (seed 11)');
    expect(invalid?.testcase?.[0]?.failure?.[0]).toMatchObject({
      type: 'invalid',
      message: 'lost 2 acknowledged writes: <3> & "4" | 100% gone',
    });
    expect(invalid?.testcase?.[0]?.failure?.[0]?.inner).toContain('warning: n2 restarted twice');
    expect(props(invalid).results).toBe('/tmp/results/etcd-set-kill/20261202T010100.000Z');

    expect(unknown).toMatchObject({ failures: 0, errors: 1 });
    expect(unknown?.testcase?.[0]?.error?.[0]).toMatchObject({ type: 'unknown', message: 'the search ran out' });
    expect(crashed?.testcase?.[0]?.error?.[0]).toMatchObject({
      type: 'crashed',
      message: 'etcd cluster not ready after 60000 ms',
    });
    // No folder (crashed early) or a removed one (passed, --keep failed): no results property.
    expect(props(crashed).results).toBeUndefined();
    expect(props(removed).results).toBeUndefined();
    expect(removed?.['system-out']?.[0]).toContain('(removed: passed)');
  });
});
