/**
 * How fast the harness records: the interpreter with an in-memory client that
 * does nothing, the history written to disk, at concurrency 10 and 100.
 * Goal: at least 50,000 ops/s (an op = one invocation and its completion).
 * Wall-clock figures depend on what else the machine runs; ops per
 * CPU-second (this process's user + system time) is steadier.
 * Also the writer on its own: buffered (the default) vs one write per line.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clients, limit } from '../harness/generator/index.js';
import { seededRng } from '../harness/generator/rng.js';
import { openHistoryWriter } from '../harness/history/writer.js';
import { fakeClientFactory } from '../harness/interpreter/fake-client.js';
import { runInterpreter } from '../harness/interpreter/interpreter.js';
import { wellFormedProblems } from '../harness/interpreter/well-formed.js';
import { silentLogger } from '../harness/log.js';

const OPS = 200_000;

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-bench-'));
  try {
    // A short warm-up run first, so the JIT has compiled the hot paths.
    for (const [label, concurrency, ops] of [
      ['warm-up', 10, 20_000],
      ['measured', 10, OPS],
      ['measured', 100, OPS],
    ] as const) {
      const writer = await openHistoryWriter(join(dir, `history-${label}-${concurrency}.jsonl`));
      const factory = fakeClientFactory();
      const started = process.hrtime.bigint();
      const cpuBefore = process.cpuUsage();
      const result = await runInterpreter({
        generator: clients(limit(ops, (_ctx, rng) => ({ f: 'write', value: rng.int(100) }))),
        concurrency,
        makeClient: factory.make,
        nodeFor: () => ({ name: 'n1', address: '127.0.0.1' }),
        writer,
        rng: seededRng(1),
        opTimeoutMs: 10_000,
        log: silentLogger,
      });
      await writer.close();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      if (label === 'warm-up') continue;
      const bytes = (await stat(writer.path)).size;
      const problems = wellFormedProblems(writer.history()).length;
      console.log(
        `interpreter  concurrency ${String(concurrency).padStart(3)}: ${fmt(result.client.invoke / seconds)} ops/s ` +
          `(${fmt(result.client.invoke / cpuSeconds)} per CPU-second; ${fmt(result.ops / seconds)} history lines/s; ` +
          `${result.client.invoke} ops in ${seconds.toFixed(2)} s; ` +
          `${(bytes / 1e6).toFixed(1)} MB; ok ${result.client.ok}; well-formed: ${problems === 0 ? 'yes' : `NO (${problems})`}; ` +
          `heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB)`,
      );
    }

    for (const [label, options] of [
      ['buffered (5 ms)', {}],
      ['one write per line', { maxBufferBytes: 1 }],
    ] as const) {
      const writer = await openHistoryWriter(join(dir, `writer-${label.length}.jsonl`), {
        ...options,
        keepInMemory: false,
      });
      const lines = 500_000;
      const started = process.hrtime.bigint();
      for (let i = 0; i < lines; i++) {
        writer.append({
          index: i,
          time: i * 1000,
          type: 'ok',
          process: i % 10,
          f: 'write',
          value: i % 100,
          node: 'n1',
        });
      }
      await writer.close();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      console.log(`writer       ${label.padEnd(20)}: ${fmt(lines / seconds)} lines/s`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
