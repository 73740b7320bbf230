/**
 * Galera list-append throughput and check time: the galera target on 3 and
 * on 5 netns nodes (clusters "glb3" / "glb5", subnets 10.249.20.0/24 and
 * 10.249.21.0/24), every node taking transactions, at repeatable-read with
 * innodb_snapshot_isolation (the models checked: snapshot-isolation), 10
 * clients spread over the nodes for a bounded 10 s, no faults
 * (bench/txn-throughput.ts). Prints committed transactions per second, the
 * completion counts, latency quantiles, and the list-append check's time.
 */
import { missing } from '../harness/testing/requirements.js';
import { GaleraListAppendClient } from '../targets/galera/clients/list-append.js';
import { galeraTarget } from '../targets/galera/index.js';
import { consistencyModelsFor } from '../targets/galera/options.js';
import { startTestCluster } from '../targets/testing/test-cluster.js';
import { benchListAppend } from './txn-throughput.js';

const SIZES = [
  { nodes: 3, name: 'glb3', subnet: '10.249.20.0/24' },
  { nodes: 5, name: 'glb5', subnet: '10.249.21.0/24' },
];

export async function run(): Promise<void> {
  const reason = missing({
    root: true,
    commands: ['mariadbd', 'mariadb', 'mariadb-install-db', 'rsync', 'ip', 'iptables', 'setsid'],
    paths: ['/usr/lib/galera/libgalera_smm.so'],
  });
  if (reason) {
    console.log(`galera bench skipped: ${reason}`);
    return;
  }
  for (const size of SIZES) {
    const setupStarted = performance.now();
    const cluster = await startTestCluster(galeraTarget, {
      ...size,
      options: { snapshotIsolation: true },
      readyTimeoutMs: 180_000,
    });
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    try {
      await benchListAppend({
        label: `galera list-append, snapshot isolation, ${size.nodes} nodes (netns; set up in ${setupSeconds.toFixed(0)} s)`,
        nodes: cluster.ctx.nodes,
        newClient: () => new GaleraListAppendClient(cluster.ctx.options),
        consistencyModels: consistencyModelsFor(cluster.ctx.options),
      });
    } finally {
      await cluster.stop();
    }
  }
}
