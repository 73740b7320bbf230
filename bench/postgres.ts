/**
 * PostgreSQL list-append throughput and check time: the postgres target on
 * 5 netns nodes (cluster "pgbench", subnet 10.246.20.0/24; a primary and
 * four forwarders), 10 clients (two per node) running the list-append
 * workload's transactions (Elle's default knobs) for a bounded 10 s per
 * isolation level, no faults (bench/txn-throughput.ts). Prints committed
 * transactions per second, the completion counts, latency quantiles, and how
 * long the list-append checker takes on the history (with every anomaly reported).
 */
import { missing } from '../harness/testing/requirements.js';
import { PgTxnClient } from '../targets/postgres/clients/txn.js';
import { postgresTarget } from '../targets/postgres/index.js';
import { promisedModels } from '../targets/postgres/isolation.js';
import type { IsolationLevel } from '../targets/postgres/options.js';
import { probe } from '../targets/postgres/probe.js';
import { startTestCluster } from '../targets/testing/test-cluster.js';
import { benchListAppend } from './txn-throughput.js';

const LEVELS: IsolationLevel[] = ['serializable', 'repeatable-read', 'read-committed'];

export async function run(): Promise<void> {
  const reason = missing({ root: true, commands: ['ip', 'iptables', 'setsid', 'setpriv', 'socat'] });
  if (reason) {
    console.log(`postgres bench skipped: ${reason}`);
    return;
  }
  const cluster = await startTestCluster(postgresTarget, { name: 'pgbench', nodes: 5, subnet: '10.246.20.0/24' });
  try {
    for (const level of LEVELS) {
      const options = { ...cluster.ctx.options, isolation: level };
      // Every level starts from empty lists: its keys and values repeat the previous level's.
      await probe(cluster.ctx.nodes[0]!, options.port, ['TRUNCATE list_append']);
      await benchListAppend({
        label: `postgres list-append, ${level}, 5 nodes (netns)`,
        nodes: cluster.ctx.nodes,
        newClient: () => new PgTxnClient('list-append', options, cluster.ctx.nodes),
        consistencyModels: promisedModels(level),
      });
    }
  } finally {
    await cluster.stop();
  }
}
