/**
 * `faultline heal` on a docker cluster: faults recorded by one runtime object
 * are healed through a fresh one attached from the heal state alone.
 * Needs root and docker.io; starts dockerd if none runs and stops it afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../harness/log.js';
import { createDockerRuntime } from '../harness/runtime/docker/index.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import { type DockerdHandle, dockerdMissing, startDockerd } from '../harness/testing/dockerd.js';
import { TEST_NODE_NEEDS } from '../harness/testing/node-needs.js';
import { healFromState } from './heal-from-state.js';
import { HealState } from './heal-state.js';
import { listRules, PARTITION_CHAIN } from './iptables.js';
import { partitionNemesis } from './partition/nemesis.js';
import { nemesisContext, removeTempStateDirs } from './testing/cluster.js';
import { echoTarget } from './testing/echo-target.js';

const OPTIONS = { name: 't5dock', nodes: 3, subnet: '10.231.8.0/24' };

describe.skipIf(dockerdMissing())('faultline heal on a docker cluster', () => {
  let dockerd: DockerdHandle | undefined;
  let runtime: Runtime | undefined;

  beforeAll(async () => {
    dockerd = await startDockerd();
    runtime = createDockerRuntime(OPTIONS, silentLogger);
    await runtime.up(TEST_NODE_NEEDS);
  });
  afterAll(async () => {
    try {
      await runtime?.down();
    } finally {
      removeTempStateDirs();
      await dockerd?.stop();
    }
  });

  it('heals a partition from the recorded state through a freshly attached runtime', async () => {
    const ctx = nemesisContext(runtime!, echoTarget(), { runtimeOptions: { kind: 'docker', docker: OPTIONS } });
    const partition = partitionNemesis();
    await partition.setup(ctx);
    const result = await partition.invoke(ctx, { f: 'start-partition', value: { shape: 'halves' } });
    expect(result.error).toBeUndefined();
    expect(await listRules(runtime!, 'n3')).toContain(PARTITION_CHAIN);

    const report = await healFromState(ctx.stateDir, silentLogger);
    expect(report.healed).toEqual(['partition']);
    for (const n of ['n1', 'n2', 'n3']) expect(await listRules(runtime!, n)).not.toContain('FAULTLINE');
    expect(await new HealState(ctx.stateDir).pending()).toEqual([]);
  });
});
