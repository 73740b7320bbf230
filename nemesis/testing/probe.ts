/**
 * TCP reachability probes for the nemesis tests: from every node to every
 * other node's echo port (run on the node with the host's node binary), and
 * from the controller to every node.
 */
import net from 'node:net';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { ECHO_PORT } from './echo-target.js';

// argv: timeoutMs, repeat, concurrency, host... ; prints one "host ok|fail" line per probe.
const PROBE = `
const [timeoutMs, repeat, concurrency, ...hosts] = process.argv.slice(1);
const net = require('node:net');
const jobs = [];
for (const h of hosts) for (let i = 0; i < Number(repeat); i++) jobs.push(h);
const one = (host) => new Promise((resolve) => {
  const s = net.connect({ host, port: ${ECHO_PORT} });
  const done = (ok) => { clearTimeout(t); s.destroy(); resolve(host + ' ' + (ok ? 'ok' : 'fail')); };
  const t = setTimeout(() => done(false), Number(timeoutMs));
  s.once('connect', () => done(true));
  s.once('error', () => done(false));
});
(async () => {
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: Number(concurrency) }, async () => {
    while (next < jobs.length) out.push(await one(jobs[next++]));
  }));
  process.stdout.write(out.join('\\n') + '\\n');
})();`;

/** Probes from `node` to `hosts` (addresses), `repeat` times each. Resolves with ok / total per address. */
export async function probeFrom(
  runtime: Runtime,
  node: string,
  hosts: string[],
  opts: { timeoutMs?: number; repeat?: number; concurrency?: number } = {},
): Promise<Record<string, { ok: number; total: number }>> {
  const { stdout } = await runtime.exec(
    node,
    [
      process.execPath,
      '-e',
      PROBE,
      String(opts.timeoutMs ?? 400),
      String(opts.repeat ?? 1),
      String(opts.concurrency ?? 20),
      ...hosts,
    ],
    { timeoutMs: 120_000 },
  );
  const out: Record<string, { ok: number; total: number }> = Object.fromEntries(
    hosts.map((h) => [h, { ok: 0, total: 0 }]),
  );
  for (const line of stdout.trim().split('\n')) {
    const [host, result] = line.split(' ');
    const entry = out[host!];
    if (!entry) continue;
    entry.total++;
    if (result === 'ok') entry.ok++;
  }
  return out;
}

/** Every ordered pair "a>b" of nodes where a can open a TCP connection to b. */
export async function reachablePairs(runtime: Runtime): Promise<Set<string>> {
  const nodes = runtime.nodes();
  const results = await Promise.all(
    nodes.map(async (a) => {
      const others = nodes.filter((b) => b.name !== a.name);
      const r = await probeFrom(
        runtime,
        a.name,
        others.map((b) => b.address),
      );
      return others.filter((b) => r[b.address]!.ok === 1).map((b) => `${a.name}>${b.name}`);
    }),
  );
  return new Set(results.flat());
}

/** The nodes the controller (this process) can open a TCP connection to. */
export async function controllerReaches(runtime: Runtime, timeoutMs = 1000): Promise<string[]> {
  const ok = await Promise.all(
    runtime.nodes().map(
      (n) =>
        new Promise<boolean>((resolve) => {
          const s = net.connect({ host: n.address, port: ECHO_PORT });
          const done = (v: boolean) => {
            clearTimeout(t);
            s.destroy();
            resolve(v);
          };
          const t = setTimeout(() => done(false), timeoutMs);
          s.once('connect', () => done(true));
          s.once('error', () => done(false));
        }),
    ),
  );
  return runtime
    .nodes()
    .filter((_, i) => ok[i])
    .map((n) => n.name);
}

/** Every ordered pair of distinct nodes. */
export function allPairs(nodes: readonly string[]): Set<string> {
  return new Set(nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => `${a}>${b}`)));
}
