import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log.js';
import { seriesExitCode } from './aggregate.js';
import { repeatSeed } from './seeds.js';
import { type RunReport, runSeries, type SeriesDeps } from './series.js';
import { type FakeStep, fakeRunner, fakeSpec } from './testing/fake-runs.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-series-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function deps(steps: FakeStep[], extra: Partial<SeriesDeps> = {}) {
  const runner = fakeRunner(steps);
  return { runner, deps: { run: runner.run, keep: 'all' as const, log: silentLogger, ...extra } };
}

describe('runSeries', () => {
  it('repeats a test with seeds derived from the first, and stops at the first invalid run', async () => {
    const { runner, deps: d } = deps([true, true, false, true]);
    const result = await runSeries([fakeSpec('etcd-register', root, 5)], d);
    expect(result.runs.map((r) => [r.index, r.verdict])).toEqual([
      [1, 'valid'],
      [2, 'valid'],
      [3, 'invalid'],
    ]);
    expect(runner.calls.map((o) => o.seed)).toEqual([0, 1, 2].map((i) => repeatSeed(1000, i)));
    expect(result.runs.map((r) => r.seed)).toEqual(runner.calls.map((o) => o.seed));
    expect(result.skipped).toEqual([{ series: 'etcd-register', runs: 2, afterIndex: 3 }]);
    expect(result.runs[2]).toMatchObject({ summary: 'lost 2 acknowledged writes', kept: true });
    expect(seriesExitCode(result)).toBe(1);
  });

  it('goes on after an invalid run with keepGoing, and always on to the next series', async () => {
    const { deps: d } = deps([false, true, false, true]);
    const result = await runSeries([fakeSpec('a', root, 2, true), fakeSpec('b', root, 2)], d);
    expect(result.runs.map((r) => `${r.series}#${r.index}:${r.verdict}`)).toEqual([
      'a#1:invalid',
      'a#2:valid',
      'b#1:invalid',
    ]);
    expect(result.skipped).toEqual([{ series: 'b', runs: 1, afterIndex: 1 }]);
  });

  it('reports a crashed run with its folder and goes on; a UserError from a run stops everything', async () => {
    const crash = deps(['crash', true]);
    const crashed = await runSeries([fakeSpec('a', root, 2)], crash.deps);
    expect(crashed.runs.map((r) => r.verdict)).toEqual(['crashed', 'valid']);
    expect(crashed.runs[0]).toMatchObject({
      summary: 'etcd cluster not ready after 60000 ms',
      cluster: { runtime: 'fake', name: 'fake-cluster' },
      kept: true,
    });
    expect(existsSync(join(crashed.runs[0]!.runDir!, 'test.json'))).toBe(true);
    expect(seriesExitCode(crashed)).toBe(255);

    const bad = deps(['user-error', true]);
    const stopped = await runSeries([fakeSpec('a', root, 2), fakeSpec('b', root)], bad.deps);
    expect(stopped.runs.map((r) => r.verdict)).toEqual(['bad-config']);
    expect(stopped.stopped).toBe('bad-config');
    expect(bad.runner.calls).toHaveLength(1);
    expect(seriesExitCode(stopped)).toBe(254);
  });

  it('stops after an interrupted run (Ctrl-C during the run or its setup), and starts none once aborted', async () => {
    for (const step of ['aborted', 'interrupt-setup'] as const) {
      const { runner, deps: d } = deps([step, true]);
      const result = await runSeries([fakeSpec('a', root, 3)], d);
      expect(result.runs.map((r) => r.verdict)).toEqual(['interrupted']);
      expect(result).toMatchObject({ stopped: 'interrupted' });
      expect(runner.calls).toHaveLength(1);
      expect(seriesExitCode(result)).toBe(130);
    }
    expect((await runSeries([fakeSpec('a', root, 3)], deps([true]).deps)).runs[0]?.partialVerdict).toBeUndefined();
    const [aborted] = (await runSeries([fakeSpec('a', root)], deps(['aborted']).deps)).runs;
    expect(aborted?.partialVerdict).toBe(true);

    const stop = new AbortController();
    const seen: RunReport[] = [];
    const onRun = (r: RunReport) => {
      seen.push(r);
      stop.abort(); // Ctrl-C while the first run is being reported
    };
    const { runner, deps: d } = deps([true], { signal: stop.signal, onRun });
    const result = await runSeries([fakeSpec('a', root, 3), fakeSpec('b', root)], d);
    expect(runner.calls).toHaveLength(1);
    expect(seen).toHaveLength(1);
    expect(result.stopped).toBe('interrupted');
    expect(seriesExitCode(result)).toBe(130);
  });

  it('with keep failed removes the folders of valid runs only, and keeps results/latest pointing at a run left', async () => {
    const { deps: d } = deps([true, 'unknown', true, false, true], { keep: 'failed' });
    const result = await runSeries([fakeSpec('a', root, 3, true), fakeSpec('b', root, 2, true)], d);
    expect(result.runs.map((r) => [r.verdict, r.kept, existsSync(r.runDir!)])).toEqual([
      ['valid', false, false],
      ['unknown', true, true],
      ['valid', false, false],
      ['invalid', true, true],
      ['valid', false, false],
    ]);
    expect((await readdir(join(root, 'a'))).length).toBe(1);
    // The newest run left is b's invalid one.
    expect(await readlink(join(root, 'latest'))).toBe(join('b', result.runs[3]!.runDir!.split('/').pop()!));

    const all = deps([true]);
    const kept = await runSeries([fakeSpec('c', root)], all.deps);
    expect(existsSync(kept.runs[0]!.runDir!)).toBe(true);
  });
});
