/**
 * PostgreSQL list-append throughput and check time: the postgres target on
 * 5 netns nodes (cluster "pgbench", subnet 10.246.20.0/24; a primary and
 * four forwarders), 10 clients (two per node) running the list-append
 * workload's transactions (Elle's default knobs) for a bounded 10 s per
 * isolation level, no faults. Prints committed transactions per second, the
 * completion counts, latency quantiles, and how long the list-append checker
 * takes on the history (with every anomaly reported).
 */
import { checkListAppend } from '../checkers/list-append/index.js';
import { seededRng } from '../harness/generator/rng.js';
import type { Op } from '../harness/history/op.js';
import { missing } from '../harness/testing/requirements.js';
import { PgTxnClient } from '../targets/postgres/clients/txn.js';
import { postgresTarget } from '../targets/postgres/index.js';
import { promisedModels } from '../targets/postgres/isolation.js';
import type { IsolationLevel, PostgresOptions } from '../targets/postgres/options.js';
import { probe } from '../targets/postgres/probe.js';
import { startTestCluster, type TestCluster } from '../targets/testing/test-cluster.js';
import { DEFAULT_KNOBS, initialPool, nextTxn } from '../workloads/txn/keys.js';

const DURATION_MS = 10_000;
const CLIENTS = 10;
const LEVELS: IsolationLevel[] = ['serializable', 'repeatable-read', 'read-committed'];

export async function run(): Promise<void> {
  const reason = missing({ root: true, commands: ['ip', 'iptables', 'setsid', 'setpriv', 'socat'] });
  if (reason) {
    console.log(`postgres bench skipped: ${reason}`);
    return;
  }
  const cluster = await startTestCluster(postgresTarget, { name: 'pgbench', nodes: 5, subnet: '10.246.20.0/24' });
  try {
    for (const level of LEVELS) await runLevel(cluster, level);
  } finally {
    await cluster.stop();
  }
}

async function runLevel(cluster: TestCluster<PostgresOptions>, level: IsolationLevel): Promise<void> {
  const options = { ...cluster.ctx.options, isolation: level };
  // Every level starts from empty lists: its keys and values repeat the previous level's.
  await probe(cluster.ctx.nodes[0]!, options.port, ['TRUNCATE list_append']);
  const rng = seededRng(7);
  let pool = initialPool(DEFAULT_KNOBS);
  const history: Op[] = [];
  const t0 = performance.now();
  const now = () => Math.round((performance.now() - t0) * 1e6);
  const latenciesMs: number[] = [];
  const counts = { ok: 0, fail: 0, info: 0 };
  const deadline = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const client = new PgTxnClient('list-append', options);
      await client.open(cluster.ctx.nodes[i % cluster.ctx.nodes.length]!);
      let process = i;
      try {
        while (Date.now() < deadline) {
          const next = nextTxn(pool, rng, DEFAULT_KNOBS, 'append');
          pool = next.pool;
          const started = performance.now();
          history.push({ index: history.length, time: now(), type: 'invoke', process, f: 'txn', value: next.mops });
          const c = await client.invoke({ process, f: 'txn', value: next.mops }, AbortSignal.timeout(5_000));
          latenciesMs.push(performance.now() - started);
          counts[c.type]++;
          const value = c.type === 'ok' ? (c.value as Op['value']) : next.mops;
          history.push({ index: history.length, time: now(), type: c.type, process, f: 'txn', value } as Op);
          if (c.type === 'info') process += CLIENTS;
        }
      } finally {
        await client.close();
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latenciesMs.sort((a, b) => a - b);
  const q = (p: number) =>
    latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(p * latenciesMs.length))]?.toFixed(1);
  const checkStarted = performance.now();
  const result = checkListAppend(history, { consistencyModels: promisedModels(level), reportAll: true });
  const checkMs = performance.now() - checkStarted;
  console.log(
    `postgres list-append, ${level}, 5 nodes (netns), ${CLIENTS} clients, ${seconds.toFixed(1)} s, no faults`,
  );
  console.log(
    `  ${(counts.ok / seconds).toFixed(0)} committed txns/s (ok ${counts.ok}, fail ${counts.fail}, info ${counts.info}); ` +
      `latency ms p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}`,
  );
  console.log(
    `  check (${promisedModels(level).join(', ')}, every anomaly reported): ${checkMs.toFixed(0)} ms for ` +
      `${history.length} entries: valid ${String(result.valid)}; found ${result.anomalyTypes.join(', ') || 'nothing'}`,
  );
}
