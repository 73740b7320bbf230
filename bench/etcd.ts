/**
 * etcd register throughput: a 5-node etcd cluster on netns (cluster
 * "t7bench", subnet 10.231.3.0/24), 10 register clients (two per node), each
 * looping read / write of a random key for a bounded 10 s, no faults.
 * Prints ops/s, the completion counts and latency quantiles.
 */
import { missing } from '../harness/testing/requirements.js';
import { etcdTarget } from '../targets/etcd/index.js';
import { startTestCluster } from '../targets/testing/test-cluster.js';
import type { Completion } from '../workloads/client.js';

const DURATION_MS = 10_000;
const CLIENTS = 10;
const KEYS = 20;

export async function run(): Promise<void> {
  const reason = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'setsid'] });
  if (reason) {
    console.log(`etcd bench skipped: ${reason}`);
    return;
  }
  const cluster = await startTestCluster(etcdTarget, { name: 't7bench', nodes: 5, subnet: '10.231.3.0/24' });
  try {
    const counts = { ok: 0, fail: 0, info: 0 };
    const latenciesMs: number[] = [];
    const deadline = Date.now() + DURATION_MS;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const client = etcdTarget.clients.register(cluster.ctx, 'register');
        const node = cluster.ctx.nodes[i % cluster.ctx.nodes.length]!;
        await client.open(node);
        try {
          for (let n = 0; Date.now() < deadline; n++) {
            const key = Math.floor(Math.random() * KEYS);
            const op = n % 2 === 0 ? { process: i, f: 'read', key } : { process: i, f: 'write', key, value: n % 5 };
            const t0 = performance.now();
            const completion: Completion = await client.invoke(op, AbortSignal.timeout(2_000));
            latenciesMs.push(performance.now() - t0);
            counts[completion.type]++;
          }
        } finally {
          await client.close();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    latenciesMs.sort((a, b) => a - b);
    const q = (p: number) =>
      latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(p * latenciesMs.length))]?.toFixed(2);
    console.log(
      `etcd register, 5 nodes (netns), ${CLIENTS} clients, ${seconds.toFixed(1)} s, reads and writes 50/50, linearizable reads`,
    );
    console.log(
      `  ${(counts.ok / seconds).toFixed(0)} ok ops/s (ok ${counts.ok}, fail ${counts.fail}, info ${counts.info})`,
    );
    console.log(
      `  client (this process) CPU: ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)}% of one core`,
    );
    console.log(`  latency ms: p50 ${q(0.5)}  p90 ${q(0.9)}  p99 ${q(0.99)}  max ${q(1)}`);
  } finally {
    await cluster.stop();
  }
}
