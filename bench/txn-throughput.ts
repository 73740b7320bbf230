/**
 * What the SQL targets' benchmarks share: CLIENTS list-append clients, spread
 * over the nodes, running the workload's transactions (Elle's default knobs)
 * for a bounded DURATION_MS, no faults; then the list-append checker on the
 * history. Prints committed transactions per second, the completion counts,
 * latency quantiles and the check's time.
 */
import { checkListAppend } from '../checkers/list-append/index.js';
import { seededRng } from '../harness/generator/rng.js';
import type { Op } from '../harness/history/op.js';
import type { NodeInfo } from '../harness/runtime/runtime.js';
import type { Client } from '../workloads/client.js';
import { DEFAULT_KNOBS, initialPool, nextTxn } from '../workloads/txn/keys.js';

const DURATION_MS = 10_000;
const CLIENTS = 10;

export interface ThroughputCase {
  /** The first line printed, e.g. "postgres list-append, serializable, 5 nodes (netns)". */
  label: string;
  nodes: readonly NodeInfo[];
  newClient(): Client;
  consistencyModels: string[];
}

export async function benchListAppend(c: ThroughputCase): Promise<void> {
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
      const client = c.newClient();
      await client.open(c.nodes[i % c.nodes.length]!);
      let process = i;
      try {
        while (Date.now() < deadline) {
          const next = nextTxn(pool, rng, DEFAULT_KNOBS, 'append');
          pool = next.pool;
          const started = performance.now();
          history.push({ index: history.length, time: now(), type: 'invoke', process, f: 'txn', value: next.mops });
          const done = await client.invoke({ process, f: 'txn', value: next.mops }, AbortSignal.timeout(5_000));
          latenciesMs.push(performance.now() - started);
          counts[done.type]++;
          const value = done.type === 'ok' ? (done.value as Op['value']) : next.mops;
          history.push({ index: history.length, time: now(), type: done.type, process, f: 'txn', value } as Op);
          if (done.type === 'info') process += CLIENTS;
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
  const result = checkListAppend(history, { consistencyModels: c.consistencyModels, reportAll: true });
  const checkMs = performance.now() - checkStarted;
  console.log(`${c.label}, ${CLIENTS} clients, ${seconds.toFixed(1)} s, no faults`);
  console.log(
    `  ${(counts.ok / seconds).toFixed(0)} committed txns/s (ok ${counts.ok}, fail ${counts.fail}, info ${counts.info}); ` +
      `latency ms p50 ${q(0.5)} p90 ${q(0.9)} p99 ${q(0.99)} max ${q(1)}`,
  );
  console.log(
    `  check (${c.consistencyModels.join(', ')}, every anomaly reported): ${checkMs.toFixed(0)} ms for ` +
      `${history.length} entries: valid ${String(result.valid)}; found ${result.anomalyTypes.join(', ') || 'nothing'}`,
  );
}
