import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig, mergeFlags } from '../../config/load.js';
import type { Json } from '../../history/op.js';
import { createRunDir } from '../../results/store.js';
import { resolveTestOptions } from '../../run/options.js';
import { reproOf } from './repro.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-repro-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A run folder whose test.json records what runTest records for these options. */
async function storedRun(runtime: Json, name = 'etcd-set-kill'): Promise<string> {
  const config = mergeFlags(defaultConfig(), {
    workload: 'set',
    nemesis: 'kill,pause',
    seed: 4242,
    concurrency: 4,
    timeLimit: 7,
    resultsDir: root,
  });
  const options = { ...resolveTestOptions(config, { recoverySeconds: 3, opTimeoutMs: 1500 }), name };
  options.targetOptions = { readMode: 'serializable' };
  return createRunDir(root, {
    name,
    target: options.target,
    workload: options.workload,
    nemesis: options.nemesis,
    runtime: 'netns',
    nodes: ['n1', 'n2', 'n3'],
    concurrency: options.concurrency,
    timeLimitSeconds: options.timeLimitSeconds,
    seed: options.seed,
    startedAt: new Date().toISOString(),
    options: JSON.parse(JSON.stringify({ ...options, runtime })) as Record<string, Json>,
  });
}

describe('faultline repro', () => {
  it('takes the recorded options, seed, faults and runtime', async () => {
    const runDir = await storedRun({ kind: 'netns', netns: { name: 'ci7', nodes: 3, subnet: '10.245.7.0/24' } });
    const { config, options } = await reproOf(runDir);
    expect(options).toMatchObject({
      name: 'etcd-set-kill',
      workload: 'set',
      nemesis: ['kill', 'pause'],
      seed: 4242,
      concurrency: 4,
      timeLimitSeconds: 7,
      recoverySeconds: 3,
      opTimeoutMs: 1500,
      targetOptions: { readMode: 'serializable' },
      resultsDir: root,
    });
    expect(config.runtime.kind).toBe('netns');
    expect(config.runtime.netns).toMatchObject({ name: 'ci7', nodes: 3, subnet: '10.245.7.0/24' });
  });

  it('moves the cluster and the results where told', async () => {
    const runDir = await storedRun({ kind: 'netns', netns: { name: 'ci7', nodes: 3, subnet: '10.245.7.0/24' } });
    const { config, options } = await reproOf(runDir, {
      cluster: 'ci6',
      subnet: '10.245.6.0/24',
      resultsDir: '/tmp/elsewhere',
    });
    expect(config.runtime.netns).toMatchObject({ name: 'ci6', subnet: '10.245.6.0/24', nodes: 3 });
    expect(options.resultsDir).toBe('/tmp/elsewhere');
    expect(options.seed).toBe(4242);
  });

  it('refuses a folder that is not a run, a record without options, and a runtime that held a secret', async () => {
    await expect(reproOf(join(root, 'nothing'))).rejects.toThrow(/not a faultline run folder/);
    const dir = await storedRun('netns', 'old');
    await writeFile(join(dir, 'test.json'), JSON.stringify({ name: 'old', seed: 1, nemesis: [], options: {} }));
    await expect(reproOf(dir)).rejects.toThrow(/test\.json: records no target/);
    const secret = await storedRun({ kind: 'ssh', ssh: { nodes: ['h1'], passphrase: '(redacted)' } });
    await expect(reproOf(secret)).rejects.toThrow(/never recorded; give the runtime with --config FILE/);
  });

  it('names test.json when the recorded runtime no longer validates', async () => {
    const runDir = await storedRun({ kind: 'netns', netns: { nodes: 'many' } });
    await expect(reproOf(runDir)).rejects.toThrow(/test\.json: .*nodes/);
  });
});
