/**
 * RunReports and series results for tests of what is made from them (the
 * summary table, the JUnit file, the GitHub step summary), without running
 * anything.
 */
import type { RunReport, SeriesResult } from '../series.js';

/** A run report: a valid run of etcd-register-partition, seed 7, unless `over` says otherwise. */
export function runReport(over: Partial<RunReport> = {}): RunReport {
  return {
    series: 'etcd-register-partition',
    index: 1,
    count: 1,
    name: 'etcd-register-partition',
    target: 'etcd',
    workload: 'register',
    nemesis: ['partition'],
    seed: 7,
    startedAt: '2026-12-02T01:00:00.123Z',
    durationSeconds: 12.5,
    verdict: 'valid',
    warnings: [],
    runDir: '/tmp/results/etcd-register-partition/20261202T010000.123Z',
    kept: true,
    ...over,
  };
}

/**
 * One run of each way a run ends (valid, invalid with an anomaly that needs
 * escaping, unknown, crashed before its folder existed, a valid one whose
 * folder was removed), and two repeats left out after the invalid one.
 */
export function mixedResult(): SeriesResult {
  return {
    runs: [
      runReport(),
      runReport({
        series: 'etcd-set-kill',
        name: 'etcd-set-kill',
        workload: 'set',
        nemesis: ['kill'],
        count: 3,
        seed: 11,
        verdict: 'invalid',
        summary: 'lost 2 acknowledged writes: <3> & "4" | 100% gone',
        warnings: ['n2 restarted twice'],
        runDir: '/tmp/results/etcd-set-kill/20261202T010100.000Z',
      }),
      runReport({ name: 'etcd-cas-pause', nemesis: ['pause'], verdict: 'unknown', summary: 'the search ran out' }),
      runReport({
        name: 'etcd-register-none',
        nemesis: [],
        verdict: 'crashed',
        summary: 'etcd cluster not ready after 60000 ms',
        runDir: undefined,
        kept: false,
      }),
      runReport({ name: 'etcd-register-clock', nemesis: ['clock'], kept: false }),
    ],
    skipped: [{ series: 'etcd-set-kill', runs: 2, afterIndex: 1 }],
  };
}
