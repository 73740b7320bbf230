/** A netns cluster with the echo target on every node, for the nemesis tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seededRng } from '../../harness/generator/rng.js';
import type { Json } from '../../harness/history/op.js';
import { silentLogger } from '../../harness/log.js';
import { createNetnsRuntime, type NetnsOptions } from '../../harness/runtime/netns/index.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import type { Target } from '../../targets/target.js';
import { clockEnv } from '../clock/nemesis.js';
import type { NemesisContext } from '../nemesis.js';
import { targetContext } from './echo-target.js';

/** The subnet the nemesis tests own (other helpers use other subnets). */
export const TEST_SUBNET = '10.231.2.0/24';
export const TEST_STATE_DIR = '/tmp/faultline-test-state';

export function netnsOptions(name: string, nodes = 5): NetnsOptions {
  return { name, nodes, subnet: TEST_SUBNET, stateDir: TEST_STATE_DIR, removeNodeDirs: true };
}

export function testRuntime(name: string, nodes = 5): Runtime {
  return createNetnsRuntime(netnsOptions(name, nodes), silentLogger);
}

const tempDirs: string[] = [];

/** A fresh temporary heal-state folder, removed by `removeTempStateDirs`. */
export function tempStateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 't5-heal-'));
  tempDirs.push(dir);
  return dir;
}

export function removeTempStateDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A nemesis context over `runtime` and `target`, heal state in a fresh temporary folder. */
export function nemesisContext(
  runtime: Runtime,
  target: Target,
  opts: { seed?: number; stateDir?: string; runtimeOptions?: Json } = {},
): NemesisContext {
  return {
    runtime,
    target,
    targetCtx: targetContext(runtime, (node) => clockEnv({ runtime }, node)),
    log: silentLogger,
    stateDir: opts.stateDir ?? tempStateDir(),
    rng: seededRng(opts.seed ?? 1),
    ...(opts.runtimeOptions !== undefined ? { runtimeOptions: opts.runtimeOptions } : {}),
  };
}

/** Waits until `check` resolves true, polling every 50 ms; rejects after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
