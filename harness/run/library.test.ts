/**
 * runTest, the programmatic `faultline test`, with a target given as a
 * value (an in-memory register behind every node, so its history must be
 * linearizable) on netns nodes (cluster lib-api, 10.241.5.0/24); and bad
 * options refused before any node exists.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTarget } from '../../targets/target.js';
import type { Completion } from '../../workloads/client.js';
import { runClean } from '../cli/commands/clean.js';
import { UserError } from '../errors.js';
import type { Json } from '../history/op.js';
import { silentLogger } from '../log.js';
import { missing } from '../testing/requirements.js';
import { runTest } from './library.js';

const registers = new Map<string, Json>();

const memory = defineTarget({
  name: 'memory',
  description: 'registers in the test process, the same for every node',
  options: z.strictObject({}),
  packages: [],
  clients: {
    register: () => ({
      async open() {},
      async invoke(op): Promise<Completion> {
        const key = JSON.stringify(op.key);
        if (op.f === 'write') registers.set(key, op.value ?? null);
        return { type: 'ok', value: op.f === 'read' ? (registers.get(key) ?? null) : op.value };
      },
      async close() {},
    }),
  },
  async install() {},
  async setup() {},
  async start() {},
  async teardown() {},
  async awaitReady() {},
  logFiles: () => [],
});

let results: string;
beforeAll(async () => {
  results = await mkdtemp(path.join(os.tmpdir(), 'lib-api-'));
});
afterAll(async () => {
  await rm(results, { recursive: true, force: true });
  // The runs keep their node data (for a look after a run); the test removes it.
  if (!missing({ root: true, commands: ['ip', 'setsid'] })) await runClean({ name: 'lib-api' }, silentLogger);
});

describe('runTest', () => {
  it('refuses bad options before any node exists, naming the option', async () => {
    await expect(runTest({ concurrency: 0, log: 'silent' })).rejects.toThrow(UserError);
    await expect(runTest({ workload: 'bank', log: 'silent', resultsDir: results })).rejects.toThrow(/--workload/);
    await expect(runTest({ opTimeoutMs: -1, log: 'silent' })).rejects.toThrow(
      /opTimeoutMs: expected a positive number/,
    );
    await expect(
      runTest({ target: 'etcd', targetOptions: { readMode: 'sometimes' }, log: 'silent', resultsDir: results }),
    ).rejects.toThrow(/test\.targetOptions\.readMode/);
  });

  it.skipIf(missing({ root: true, commands: ['ip', 'setsid'] }))(
    'runs a target given as a value, and resolves with the typed results',
    async () => {
      const outcome = await runTest({
        target: memory,
        workload: 'register',
        nodes: 2,
        cluster: 'lib-api',
        subnet: '10.241.5.0/24',
        concurrency: 4,
        timeLimitSeconds: 2,
        recoverySeconds: 1,
        rate: 200,
        seed: 4,
        resultsDir: results,
        log: 'silent',
      });
      expect(outcome.aborted).toBe(false);
      expect(outcome.runDir).toMatch(new RegExp(`^${results}/memory-register/`));
      expect(outcome.results.valid).toBe(true);
      expect(outcome.results.checker).toMatchObject({ kind: 'linearizable', model: 'register', valid: true });
      expect(outcome.results.stats.counts.read?.ok).toBeGreaterThan(10);
      for (const file of ['test.json', 'history.jsonl', 'results.json', 'report.html']) {
        expect(existsSync(path.join(outcome.runDir, file)), file).toBe(true);
      }
    },
    120_000,
  );
});
