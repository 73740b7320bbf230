import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerLeftovers } from '../../harness/runtime/docker/leftovers.js';
import { dockerdMissing } from '../../harness/testing/dockerd.js';
import { missing } from '../../harness/testing/requirements.js';
import { clockEnv, healClock, writeOffset } from '../../nemesis/clock/nemesis.js';
import { applyGrudge, healPartition } from '../../nemesis/partition/nemesis.js';
import { waitFor } from '../ready.js';
import {
  connects,
  expectValidDockerRun,
  expectValidSshRun,
  SQL_TARGETS_PACKAGES,
  useDockerWithSqlImage,
  useSshdCluster,
} from '../testing/runtime-runs.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { adminSql, DAEMON, filesOf, wsrepStatus } from './admin.js';
import { galeraTarget } from './index.js';
import type { GaleraOptions } from './options.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'setsid'] });

describe.skipIf(needs ?? dockerdMissing())('galera on docker', () => {
  const docker = useDockerWithSqlImage(['glf', 'gld']);

  describe('the faults take effect in the containers', () => {
    let cluster: TestCluster<GaleraOptions>;
    beforeAll(async () => {
      cluster = await startTestCluster(galeraTarget, {
        name: 'glf',
        nodes: 3,
        subnet: '10.249.12.0/24',
        runtime: { kind: 'docker', extraPackages: SQL_TARGETS_PACKAGES },
        nodeEnv: (runtime, node) => clockEnv({ runtime }, node),
        prepare: (runtime, node) => healClock(runtime, [node]),
        readyTimeoutMs: 120_000,
      });
    }, 180_000);
    afterAll(async () => {
      await cluster?.stop();
      expect(await dockerLeftovers(docker().docker, 'glf')).toEqual([]);
    }, 60_000);

    it('the joiners came in by an rsync state transfer; mariadbd runs as mysql', async () => {
      for (const n of ['n2', 'n3']) {
        const log = await cluster.runtime.exec(n, ['cat', filesOf(cluster.ctx, n).log]);
        expect(log.stdout, `${n}'s galera.log`).toMatch(/wsrep_sst_rsync/);
        expect(log.stdout).toMatch(/SST (received|succeeded)|State transfer .*complete|Joined/i);
      }
      const ps = await cluster.runtime.exec('n1', ['ps', '-o', 'user=,args=', '-C', 'mariadbd']);
      expect(ps.stdout).toMatch(/^mysql +mariadbd /m);
    });

    it('kill: no mariadbd is left in the container (nor a zombie); start rejoins', async () => {
      await galeraTarget.kill(cluster.ctx, 'n3');
      const left = await cluster.runtime.exec('n3', ['ps', '-eo', 'stat=,args='], { check: false });
      expect(left.stdout).not.toMatch(/mariadbd/);
      // The others notice within evs.suspect_timeout (3 s) and go on as a cluster of 2.
      await waitFor(
        'n1 to see a cluster of 2',
        20_000,
        async () => (await wsrepStatus(cluster.ctx, 'n1'))?.clusterSize === 2,
        250,
      );
      await galeraTarget.start(cluster.ctx, 'n3');
      await galeraTarget.awaitReady(cluster.ctx, 90_000);
    }, 120_000);

    it('pause: mariadbd is stopped (T) until resume; a transaction on it ends when its time is up', async () => {
      const client = galeraTarget.clients['list-append'](cluster.ctx, 'list-append');
      await client.open(cluster.runtime.node('n3'));
      const read = { process: 0, f: 'txn', value: [['r', 9, null]] };
      try {
        expect(await client.invoke(read, new AbortController().signal)).toMatchObject({ type: 'ok' });
        await galeraTarget.pause(cluster.ctx, 'n3');
        try {
          const pid = await cluster.runtime.daemonPid('n3', DAEMON);
          const stat = await cluster.runtime.exec('n3', ['ps', '-o', 'stat=', '-p', String(pid)]);
          expect(stat.stdout.trim()).toMatch(/^T/);
          // Its connection is open, so the statement hangs until the signal aborts it.
          const stuck = await client.invoke(
            { process: 0, f: 'txn', value: [['append', 9, 1]] },
            AbortSignal.timeout(1_000),
          );
          expect(['fail', 'info']).toContain(stuck.type);
        } finally {
          await galeraTarget.resume(cluster.ctx, 'n3');
        }
        await galeraTarget.awaitReady(cluster.ctx, 60_000);
        expect(await client.invoke({ ...read, process: 1 }, new AbortController().signal)).toMatchObject({
          type: 'ok',
        });
      } finally {
        await client.close();
      }
    }, 90_000);

    it('partition: n3 cut off inside the containers loses the primary component; healed, it is back', async () => {
      const nodes = cluster.runtime.nodes();
      const n1 = cluster.runtime.node('n1');
      await applyGrudge(cluster.runtime, nodes, { n1: ['n3'], n2: ['n3'], n3: ['n1', 'n2'] });
      try {
        expect(await connects(cluster.runtime, 'n3', n1.address, 4567)).toBe(false);
        expect(await connects(cluster.runtime, 'n2', n1.address, 4567)).toBe(true);
        // Within evs.suspect_timeout / inactive_timeout (3 s / 6 s) n3 is alone, without quorum.
        await waitFor(
          'n3 to be non-Primary',
          30_000,
          async () => (await wsrepStatus(cluster.ctx, 'n3'))?.clusterStatus === 'non-Primary',
          250,
        );
        await waitFor('n1 to go on as a primary component of 2', 30_000, async () => {
          const s = await wsrepStatus(cluster.ctx, 'n1');
          return s?.clusterStatus === 'Primary' && s.clusterSize === 2;
        });
      } finally {
        await healPartition(cluster.runtime, ['n1', 'n2', 'n3']);
      }
      await galeraTarget.awaitReady(cluster.ctx, 60_000);
    }, 120_000);

    it('clock: libfaketime in the container moves the server’s NOW() 5 s ahead, then back', async () => {
      const skew = async () => {
        const before = Date.now();
        const seconds = Number((await adminSql(cluster.ctx, 'n2', 'SELECT UNIX_TIMESTAMP(NOW(3))')).trim());
        return seconds * 1000 - (before + Date.now()) / 2;
      };
      expect(Math.abs(await skew())).toBeLessThan(500);
      await writeOffset(cluster.runtime, 'n2', 5_000);
      try {
        expect(Math.abs((await skew()) - 5_000)).toBeLessThan(500);
      } finally {
        await writeOffset(cluster.runtime, 'n2', 0);
      }
    });
  });

  it('faultline test: list-append under partition and kill for 15 s at snapshot isolation is valid; nothing left', async () => {
    await expectValidDockerRun(docker().docker, {
      cluster: 'gld',
      subnet: '10.249.11.0/24',
      target: 'galera',
      targetOptions: { snapshotIsolation: true },
      models: ['snapshot-isolation'],
      resultsDir: docker().resultsDir,
    });
  }, 180_000);
});

describe.skipIf(
  needs ??
    missing({
      commands: ['/usr/sbin/sshd', 'ssh-keygen', 'mariadbd', 'mariadb-install-db', 'rsync'],
      paths: ['/usr/lib/galera/libgalera_smm.so'],
    }),
)('galera on ssh', () => {
  const ssh = useSshdCluster('gls', '10.249.13.0/24');
  it('faultline test: list-append under kill for 10 s at snapshot isolation is valid; no mariadbd left', async () => {
    await expectValidSshRun(ssh().sshd, {
      name: 'gls',
      target: 'galera',
      targetOptions: { snapshotIsolation: true },
      models: ['snapshot-isolation'],
      resultsDir: ssh().resultsDir,
    });
  }, 150_000);
});
