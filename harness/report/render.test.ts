import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import type { RunResults } from '../results/results.js';
import { isSafeRelativeLink, pageData } from './page-data.js';
import { renderReport, scriptSafeJson } from './render.js';
import { syntheticRun } from './synthetic.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

/** The text of every inline <script> element (the data block included). */
function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
}

async function hostileRun(): Promise<{ html: string; results: RunResults }> {
  const run = syntheticRun({ ops: 400, stale: true, hostile: HOSTILE, seed: 3 });
  const checker = await checkLinearizable(run.history, { model: 'cas-register', initial: 0 });
  const results: RunResults = {
    valid: checker.valid,
    checker,
    stats: { ops: 400, counts: {}, durationSeconds: run.durationSeconds },
    faults: run.faults,
    warnings: [HOSTILE],
  };
  return {
    html: renderReport({
      test: run.test,
      history: run.history,
      results,
      nodeLogs: [{ node: HOSTILE, files: [`nodes/n1/${HOSTILE}.log`] }],
    }),
    results,
  };
}

describe('scriptSafeJson', () => {
  it('round-trips any JSON value and never contains <, > or &', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = scriptSafeJson(value);
        expect(text).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('renderReport', () => {
  it('embeds hostile values only as escaped JSON, never as markup', async () => {
    const { html } = await hostileRun();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    const all = scripts(html);
    expect(all).toHaveLength(3); // data, uPlot, page script
    const data = all.find((s) => s.attrs.includes('application/json'))!;
    const parsed = JSON.parse(data.body);
    expect(parsed.meta.name).toBe(`register ${HOSTILE}`);
    expect(parsed.meta.warnings).toEqual([HOSTILE]);
  });

  it('allows exactly its own scripts by hash and no network in its Content-Security-Policy', async () => {
    const { html } = await hostileRun();
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline' ; script");
    const hashes = [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
    const executable = scripts(html).filter((s) => !s.attrs.includes('application/json'));
    expect(hashes).toEqual(executable.map((s) => createHash('sha256').update(s.body).digest('base64')));
  });

  it('keeps the uPlot licence header', async () => {
    const { html } = await hostileRun();
    expect(html).toContain('/*! https://github.com/leeoniya/uPlot (v1.6.32) */');
    expect(html).toContain('MIT License');
  });

  it('shows the verdict of a bare checker result, with the file and model of an offline check', () => {
    const { history } = syntheticRun({ ops: 50, seed: 1 });
    const data = pageData({
      history,
      results: { kind: 'checker-error', valid: 'unknown', error: 'timed out' },
      source: { file: 'h.jsonl', model: 'cas-register' },
    });
    expect(data.meta.verdict).toBe('unknown');
    expect(data.meta.headline).toBe('timed out');
    expect(data.meta.rows).toContainEqual(['checked file', 'h.jsonl']);
    expect(data.meta.rows).toContainEqual(['model', 'cas-register']);
  });

  it("shows the target's options from test.json in the header, and none when there are none", () => {
    const run = syntheticRun({ ops: 50, seed: 1 });
    const results = { kind: 'noop' as const, valid: true as const };
    const withOptions = pageData({ test: run.test, history: run.history, results });
    expect(withOptions.meta.rows).toContainEqual(['target options', 'readMode: serializable']);
    const test = { ...run.test, options: { targetOptions: { isolation: 'serializable', retries: 3 } } };
    expect(pageData({ test, history: run.history, results }).meta.rows).toContainEqual([
      'target options',
      'isolation: serializable, retries: 3',
    ]);
    const none = pageData({ test: { ...run.test, options: { targetOptions: {} } }, history: run.history, results });
    expect(none.meta.rows.map(([label]) => label)).not.toContain('target options');
  });

  it('treats a history whose times are its positions as untimed', () => {
    const history = [
      { index: 0, time: 0, type: 'invoke' as const, process: 0, f: 'read' },
      { index: 1, time: 1, type: 'ok' as const, process: 0, f: 'read', value: 1 },
    ];
    const data = pageData({ history, results: { kind: 'noop', valid: true } });
    expect(data.meta.untimed).toBe(true);
    expect(data.ops.complete).toEqual([1e6]); // 1 position = 1 s
  });
});

describe('pageData on malformed test.json and results.json', () => {
  it('never throws, whatever shape the files have', () => {
    const { history } = syntheticRun({ ops: 40, seed: 9 });
    const results = fc.oneof(
      fc.record({
        valid: fc.jsonValue(),
        checker: fc.oneof(
          fc.object(),
          fc.record({ valid: fc.jsonValue(), failure: fc.jsonValue(), lost: fc.jsonValue(), results: fc.object() }),
        ),
        stats: fc.object(),
        faults: fc.array(
          fc.oneof(
            fc.jsonValue(),
            fc.record({ fault: fc.jsonValue(), start: fc.jsonValue(), end: fc.jsonValue(), detail: fc.jsonValue() }),
          ),
        ),
        warnings: fc.jsonValue(),
      }),
      fc.object(),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.object(),
          fc.record({ name: fc.jsonValue(), nodes: fc.jsonValue(), nemesis: fc.jsonValue(), seed: fc.jsonValue() }),
        ),
        results,
        (test, res) => {
          const data = pageData({ test: test as never, history, results: res as never });
          expect(['valid', 'invalid', 'unknown']).toContain(data.meta.verdict);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('isSafeRelativeLink', () => {
  it('accepts links inside the run folder only', () => {
    expect(isSafeRelativeLink('nodes/n1/etcd.log')).toBe(true);
    for (const bad of [
      '',
      '/etc/passwd',
      '../x',
      'nodes/../../x',
      'javascript:alert(1)',
      'http://x/y',
      'nodes//x',
      'a\\b',
      './x',
    ]) {
      expect(isSafeRelativeLink(bad), bad).toBe(false);
    }
  });
});
