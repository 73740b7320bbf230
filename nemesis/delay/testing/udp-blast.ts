/**
 * The bench's fixed-rate UDP stream (udp-blast.c), built on demand into
 * <repo>/build/ (git-ignored) with the gcc setup.sh installs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Runtime } from '../../../harness/runtime/runtime.js';

const SOURCE = fileURLToPath(new URL('./udp-blast.c', import.meta.url));
const BINARY = fileURLToPath(new URL('../../../build/udp-blast', import.meta.url));

/** The binary, compiled first when missing or older than its source. Throws when gcc fails. */
export function udpBlastBinary(): string {
  if (!existsSync(BINARY) || statSync(SOURCE).mtimeMs > statSync(BINARY).mtimeMs) {
    mkdirSync(fileURLToPath(new URL('../../../build/', import.meta.url)), { recursive: true });
    execFileSync('gcc', ['-std=c11', '-O2', '-Wall', '-Werror', '-o', BINARY, SOURCE], { stdio: 'inherit' });
  }
  return BINARY;
}

export interface BlastResult {
  unique: number;
  duplicates: number;
  reordered: number;
  /** One-way delay percentiles, milliseconds. */
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** How long the sender took: past count / rate when it could not keep up. */
  sendSeconds: number;
}

/** `count` packets of `size` bytes from node `from` to node `to` at `rate` per second (host binary: netns only). */
export async function udpBlast(
  runtime: Runtime,
  from: string,
  to: string,
  opts: { rate: number; count: number; size: number; port?: number },
): Promise<BlastResult> {
  const binary = udpBlastBinary();
  const port = String(opts.port ?? 7300);
  const timeoutMs = (opts.count / opts.rate) * 1000 + 60_000;
  const receiving = runtime.exec(to, [binary, 'recv', port], { timeoutMs });
  const sending = runtime.exec(
    from,
    [binary, 'send', runtime.node(to).address, port, String(opts.rate), String(opts.count), String(opts.size)],
    { timeoutMs },
  );
  const [received, sent] = await Promise.all([receiving, sending]);
  const f = Object.fromEntries(
    received.stdout
      .trim()
      .split(/\s+/)
      .map((w) => w.split('=') as [string, string]),
  );
  return {
    unique: Number(f.unique),
    duplicates: Number(f.duplicates),
    reordered: Number(f.reordered),
    p50Ms: Number(f.p50_us) / 1000,
    p90Ms: Number(f.p90_us) / 1000,
    p99Ms: Number(f.p99_us) / 1000,
    maxMs: Number(f.max_us) / 1000,
    sendSeconds: Number(/seconds=([\d.]+)/.exec(sent.stdout)?.[1]),
  };
}
