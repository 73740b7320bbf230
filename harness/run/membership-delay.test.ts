/**
 * `faultline test` end to end with the delay and membership faults on a
 * 5-node etcd cluster in network namespaces (t16d, 10.243.5.0/24; t16m,
 * 10.243.6.0/24): valid with linearizable reads, the faults' windows (in
 * words) in results.json, and nothing left behind.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, mergeFlags } from '../config/load.js';
import { silentLogger } from '../log.js';
import type { RunResults } from '../results/results.js';
import { netnsLeftovers } from '../runtime/netns/leftovers.js';
import { missing } from '../testing/requirements.js';
import { resolveTestOptions } from './options.js';
import { runTest } from './run-test.js';

const needs = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'setsid'], paths: ['build/faultline-delay'] });

let resultsRoot: string;
beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-t16-'));
});
afterAll(async () => {
  await rm(resultsRoot, { recursive: true, force: true });
});

async function runWith(cluster: string, subnet: string, nemesis: string, nemesisOptions = {}) {
  const config = mergeFlags(defaultConfig(), {
    nodes: 5,
    cluster,
    subnet,
    nemesis,
    concurrency: 5,
    timeLimit: 20,
    nemesisInterval: 3,
    seed: 16,
    resultsDir: resultsRoot,
  });
  config.test.nemesisOptions = nemesisOptions;
  const options = resolveTestOptions(config, { recoverySeconds: 5, opTimeoutMs: 3_000 });
  const outcome = await runTest(config, options, silentLogger);
  const results = JSON.parse(await readFile(path.join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
  expect(await netnsLeftovers(cluster, `/var/lib/faultline/${cluster}/`)).toEqual([]);
  return results;
}

describe.skipIf(needs)('etcd under delay and membership changes', () => {
  it('delay 100 ms ± 50 ms with partitions: valid, with the delay windows recorded', async () => {
    const results = await runWith('t16d', '10.243.5.0/24', 'delay,partition', {
      delay: { delayMs: 100, jitterMs: 50 },
    });
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).toBe(true);
    const delays = results.faults.filter((w) => w.fault === 'delay');
    expect(delays.length).toBeGreaterThan(0);
    expect(delays[0]!.text).toMatch(/^100 ± 50 ms on \d+ link\(s\)/);
  }, 240_000);

  it('membership changes with partitions: valid, each change and the members after it recorded', async () => {
    const results = await runWith('t16m', '10.243.6.0/24', 'membership,partition');
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).toBe(true);
    const changes = results.faults.filter((w) => w.fault === 'membership');
    expect(changes.length).toBeGreaterThan(0);
    expect(changes[0]!.text).toMatch(/^removed (n\d ?)+, members (n\d ?)+$/);
  }, 240_000);
});
