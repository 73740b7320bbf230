/**
 * How fast histories read: 100,000 ops in each format, from a temp file.
 * Prints the time and ops per second for each.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHistoryFile } from '../harness/history/read.js';

const OPS = 100_000;

function lines(format: 'jsonl' | 'edn' | 'jepsen-log'): string {
  const out: string[] = [];
  for (let i = 0; i < OPS / 2; i += 1) {
    const process = i % 5;
    const value = [i % 7, (i + 1) % 7];
    if (format === 'jsonl') {
      out.push(JSON.stringify({ index: 2 * i, time: 10 * i, type: 'invoke', process, f: 'cas', value }));
      out.push(
        JSON.stringify({ index: 2 * i + 1, time: 10 * i + 5, type: 'ok', process, f: 'cas', value, node: 'n1' }),
      );
    } else if (format === 'edn') {
      out.push(
        `{:type :invoke, :f :cas, :value [${value.join(' ')}], :process ${process}, :time ${10 * i}, :index ${2 * i}}`,
      );
      out.push(
        `{:type :ok, :f :cas, :value [${value.join(' ')}], :process ${process}, :time ${10 * i + 5}, :index ${2 * i + 1}}`,
      );
    } else {
      out.push(`INFO  jepsen.util - ${process}\t:invoke\t:cas\t[${value.join(' ')}]`);
      out.push(`INFO  jepsen.util - ${process}\t:ok\t:cas\t[${value.join(' ')}]`);
    }
  }
  return `${out.join('\n')}\n`;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-bench-read-'));
  try {
    for (const format of ['jsonl', 'edn', 'jepsen-log'] as const) {
      const path = join(dir, `history.${format}`);
      const text = lines(format);
      await writeFile(path, text);
      const start = performance.now();
      const loaded = await readHistoryFile(path);
      const ms = performance.now() - start;
      if (loaded.history.length !== OPS || loaded.format !== format)
        throw new Error(`read ${loaded.history.length} ops as ${loaded.format}`);
      const mib = (Buffer.byteLength(text) / 2 ** 20).toFixed(1);
      console.log(
        `${format.padEnd(10)} ${OPS} ops (${mib} MiB): ${ms.toFixed(0)} ms, ${Math.round(OPS / (ms / 1000))} ops/s`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
