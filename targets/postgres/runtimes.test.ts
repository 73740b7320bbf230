import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerLeftovers } from '../../harness/runtime/docker/leftovers.js';
import { dockerdMissing } from '../../harness/testing/dockerd.js';
import { missing } from '../../harness/testing/requirements.js';
import { clockEnv, healClock, writeOffset } from '../../nemesis/clock/nemesis.js';
import { applyGrudge, healPartition } from '../../nemesis/partition/nemesis.js';
import type { Client } from '../../workloads/client.js';
import {
  connects,
  expectValidDockerRun,
  expectValidSshRun,
  SQL_TARGETS_PACKAGES,
  useDockerWithSqlImage,
  useSshdCluster,
} from '../testing/runtime-runs.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { postgresTarget } from './index.js';
import type { PostgresOptions } from './options.js';
import { probe } from './probe.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'setsid'] });
const never = () => new AbortController().signal;

describe.skipIf(needs ?? dockerdMissing())('postgres on docker', () => {
  const docker = useDockerWithSqlImage(['pgf', 'pgd']);

  describe('the faults take effect in the containers', () => {
    let cluster: TestCluster<PostgresOptions>;
    const clients: Client[] = [];
    beforeAll(async () => {
      cluster = await startTestCluster(postgresTarget, {
        name: 'pgf',
        nodes: 3,
        subnet: '10.249.2.0/24',
        runtime: { kind: 'docker', extraPackages: SQL_TARGETS_PACKAGES },
        nodeEnv: (runtime, node) => clockEnv({ runtime }, node),
        prepare: (runtime, node) => healClock(runtime, [node]),
      });
    }, 120_000);
    afterAll(async () => {
      for (const c of clients) await c.close();
      await cluster?.stop();
      expect(await dockerLeftovers(docker().docker, 'pgf')).toEqual([]);
    });
    const primary = () => cluster.runtime.node('n1');
    const append = (value: number) => ({ process: 0, f: 'txn', value: [['append', 1, value]] });

    it('the server runs as postgres, not root, from the Debian package', async () => {
      const ps = await cluster.runtime.exec('n1', ['ps', '-o', 'user=,args=', '-u', 'postgres']);
      expect(ps.stdout).toMatch(/^postgres +\/usr\/lib\/postgresql\/\d+\/bin\/postgres -D /m);
      expect((await cluster.runtime.exec('n1', ['ps', '-o', 'args=', '-u', 'root'])).stdout).not.toMatch(
        /bin\/postgres/,
      );
    });

    it('kill: no postgres process is left in the container; start brings the data back', async () => {
      const client = postgresTarget.clients['list-append'](cluster.ctx);
      clients.push(client);
      await client.open(cluster.runtime.node('n2'));
      expect(await client.invoke(append(1), never())).toMatchObject({ type: 'ok' });
      await postgresTarget.kill(cluster.ctx, 'n1');
      const left = await cluster.runtime.exec('n1', ['pgrep', '-u', 'postgres', '-a', '.'], { check: false });
      expect(left.stdout).toBe('');
      // Reaped (tini is PID 1): no zombie postgres either.
      const zombies = await cluster.runtime.exec('n1', ['ps', '-eo', 'stat=,args='], { check: false });
      expect(zombies.stdout).not.toMatch(/^Z.*postgres/m);
      expect(await client.invoke(append(2), never())).toMatchObject({ type: 'fail' });
      await postgresTarget.start(cluster.ctx, 'n1');
      await postgresTarget.awaitReady(cluster.ctx, 30_000);
      expect(await client.invoke({ process: 1, f: 'txn', value: [['r', 1, null]] }, never())).toEqual({
        type: 'ok',
        value: [['r', 1, [1]]],
      });
    });

    it('pause: the postmaster is stopped (T) until resume', async () => {
      await postgresTarget.pause(cluster.ctx, 'n1');
      try {
        const pid = await cluster.runtime.daemonPid('n1', 'postgres');
        const stat = await cluster.runtime.exec('n1', ['ps', '-o', 'stat=', '-p', String(pid)]);
        expect(stat.stdout.trim()).toMatch(/^T/);
      } finally {
        await postgresTarget.resume(cluster.ctx, 'n1');
      }
      await postgresTarget.awaitReady(cluster.ctx, 10_000);
    });

    it('partition: iptables in the containers cut n2 from the primary, n3 still reaches it; healed, n2 does again', async () => {
      const nodes = cluster.runtime.nodes();
      await applyGrudge(cluster.runtime, nodes, { n1: ['n2'], n2: ['n1'] });
      try {
        expect(await connects(cluster.runtime, 'n2', primary().address, 5432)).toBe(false);
        expect(await connects(cluster.runtime, 'n3', primary().address, 5432)).toBe(true);
      } finally {
        await healPartition(cluster.runtime, ['n1', 'n2', 'n3']);
      }
      expect(await connects(cluster.runtime, 'n2', primary().address, 5432)).toBe(true);
    });

    it('clock: libfaketime in the container moves the server’s now() 5 s ahead, then back', async () => {
      const skew = async () => {
        const before = Date.now();
        const rows = await probe(primary(), 5432, ['SELECT now() AS now']);
        return (rows[0]!.now as Date).getTime() - (before + Date.now()) / 2;
      };
      expect(Math.abs(await skew())).toBeLessThan(250);
      await writeOffset(cluster.runtime, 'n1', 5_000);
      try {
        expect(Math.abs((await skew()) - 5_000)).toBeLessThan(250);
      } finally {
        await writeOffset(cluster.runtime, 'n1', 0);
      }
    });
  });

  it('faultline test: list-append under partition and kill for 15 s is valid at serializable; nothing left', async () => {
    const results = await expectValidDockerRun(docker().docker, {
      cluster: 'pgd',
      subnet: '10.249.1.0/24',
      target: 'postgres',
      models: ['serializable'],
      resultsDir: docker().resultsDir,
    });
    expect(results.checker).toMatchObject({ anomalyTypes: [] });
  }, 120_000);
});

describe.skipIf(needs ?? missing({ commands: ['/usr/sbin/sshd', 'ssh-keygen', 'socat', 'setpriv'] }))(
  'postgres on ssh',
  () => {
    const ssh = useSshdCluster('pgs', '10.249.3.0/24');
    it('faultline test: list-append under kill for 10 s is valid; no postgres or socat left on the nodes', async () => {
      await expectValidSshRun(ssh().sshd, {
        name: 'pgs',
        target: 'postgres',
        models: ['serializable'],
        resultsDir: ssh().resultsDir,
        leftoverMarkers: ['bind=10.249.3.'],
      });
    }, 120_000);
  },
);
