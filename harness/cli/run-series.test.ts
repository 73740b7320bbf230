/**
 * What test, suite and repro print and write around a series: each run, the
 * summary table, the JUnit file, and under GitHub Actions the annotations and
 * the step summary. The runs are stand-ins (no cluster); the suite of real
 * runs is in commands/suite.test.ts.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type TestSuite } from 'junit2json';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { junitSchemaErrors } from '../ci/testing/junit-schema.js';
import { silentLogger } from '../log.js';
import { type FakeStep, fakeRunner, fakeSpec } from '../suite/testing/fake-runs.js';
import { missing } from '../testing/requirements.js';
import { readSeriesFlags, runAndReport, type SeriesFlags } from './run-series.js';

let root: string;
let stdout: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-run-series-'));
  stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

/** Series a (3 repeats: valid, invalid, then one left out) and b (unknown), reported with `flags` and `env`. */
async function report(flags: Partial<SeriesFlags>, env: NodeJS.ProcessEnv): Promise<number> {
  const runner = fakeRunner(['valid-a', 'invalid-a', 'unknown-b'].map(stepOf));
  const specs = [fakeSpec('a', root, 3), fakeSpec('b', root)];
  return runAndReport(
    specs,
    { keepGoing: false, keep: 'all', leaveDbRunning: false, ...flags },
    { title: 'nightly', log: silentLogger, env, runTest: (c, o, _log, controls) => runner.run(c, o, controls) },
  );
}

function stepOf(name: string): FakeStep {
  return name.startsWith('valid') ? true : name.startsWith('invalid') ? false : 'unknown';
}

describe('runAndReport', () => {
  it('under GitHub Actions: an annotation per run that did not pass, the step summary appended', async () => {
    const summary = join(root, 'step-summary.md');
    await writeFile(summary, 'an earlier step\n');
    const code = await report({ keep: 'failed' }, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(code).toBe(1);

    const annotations = stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(/^::error title=faultline%3A invalid a \(seed \d+\)::lost 2 acknowledged writes/);
    expect(annotations[1]).toMatch(/^::warning title=faultline%3A unknown b \(seed 1000\)::the search ran out of time/);
    expect(stdout).toContain('3 runs: 1 valid, 1 invalid, 1 unknown (exit 1)');
    expect(stdout).toContain('a: 1 more run not run after run 2 was invalid (--keep-going runs them)');
    expect(stdout).toContain('(removed: the run passed, --keep failed)');

    const md = await readFile(summary, 'utf8');
    expect(md.startsWith('an earlier step\n### nightly: 3 runs, 1 valid, 1 invalid, 1 unknown (exit 1)\n')).toBe(true);
    expect(md.split('\n').filter((l) => l.startsWith('| '))).toHaveLength(2 + 3);
    expect(md).toContain('| ❌ invalid | a (2/3) |');
  });

  it('outside GitHub Actions: no annotation, no step summary', async () => {
    const summary = join(root, 'step-summary.md');
    await writeFile(summary, '');
    expect(await report({}, { GITHUB_STEP_SUMMARY: summary })).toBe(1);
    expect(stdout).not.toMatch(/^::/m);
    expect(await readFile(summary, 'utf8')).toBe('');
  });

  it('writes the JUnit file: one testcase per run, the failure message, the results folders of runs kept', async () => {
    const file = join(root, 'out', 'junit.xml');
    expect(await report({ junit: file, keep: 'failed' }, {})).toBe(1);
    const xml = await readFile(file, 'utf8');
    if (!missing({ commands: ['xmllint'] })) expect(await junitSchemaErrors(xml)).toBe('');
    const suites = ((await parse(xml)) as { testsuite?: TestSuite[] }).testsuite ?? [];
    const cases = suites.flatMap((s) => s.testcase ?? []);
    expect(cases.map((c) => c.name?.replace(/seed \d+/, 'seed N'))).toEqual([
      'a #1 (seed N)',
      'a #2 (seed N)',
      'b (seed N)',
    ]);
    expect(cases[1]?.failure?.[0]?.message).toBe('lost 2 acknowledged writes');
    const results = suites.map((s) => s.properties?.find((p) => p.name === 'results')?.value);
    expect(results[0]).toBeUndefined(); // passed, removed
    expect(existsSync(join(String(results[1]), 'test.json'))).toBe(true);
    expect(existsSync(join(String(results[2]), 'test.json'))).toBe(true);
  });
});

describe('readSeriesFlags', () => {
  it('names --test-count and --junit for a bad value', () => {
    expect(() => readSeriesFlags({ testCount: '0' })).toThrow(/^--test-count: /);
    expect(() => readSeriesFlags({ testCount: '2.5' })).toThrow(/^--test-count: must be a whole number/);
    expect(() => readSeriesFlags({ testCount: 'x' })).toThrow(/^--test-count: /);
    expect(() => readSeriesFlags({ junit: ' ' })).toThrow(/^--junit: expected a file name/);
    expect(readSeriesFlags({ testCount: '3', keep: 'failed', keepGoing: true })).toEqual({
      testCount: 3,
      keepGoing: true,
      keep: 'failed',
      leaveDbRunning: false,
    });
  });
});
