/**
 * Transactional checker benchmark: list-append histories of 10k, 100k and
 * 1M transactions shaped as issue 11 asks (about 4 micro-ops each, 30
 * processes, 10% info, keys retired after about 100 appends), valid and
 * with planted anomalies (stale reads, aborted reads, write skews). Each
 * case runs in its own child process (node --max-old-space-size=4096) that
 * generates the history (seeded) and checks it; peak memory is the child's
 * maxRSS, which includes the history itself.
 *
 * Goal: 100k transactions in under 2 s, 1M in under 30 s within 4 GiB, and
 * time per transaction at 1M within twice that at 100k. The host is shared:
 * CPU time (user + system of the check) is printed beside wall time, with
 * the load average, because wall time on a busy 2-core machine mostly
 * measures the other tenants.
 */
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CaseInput, CaseOutput } from './txn-case.js';

const execFileAsync = promisify(execFile);
const CASE = fileURLToPath(new URL('./txn-case.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function runCase(input: CaseInput): Promise<CaseOutput> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--max-old-space-size=4096', '--expose-gc', '--import', 'tsx', CASE, JSON.stringify(input)],
    { cwd: ROOT, maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as CaseOutput;
}

const perTxnUs = (ms: number, txns: number): string => `${((ms * 1000) / txns).toFixed(1)} µs`;

export async function run(): Promise<void> {
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (2 cores)`,
  );
  const figures = new Map<string, CaseOutput>();
  for (const txns of [10_000, 100_000, 1_000_000]) {
    for (const plant of [false, true]) {
      const name = `${txns.toLocaleString('en')} txns, ${plant ? 'planted anomalies' : 'valid'}`;
      const out = await runCase({ txns, plant });
      figures.set(`${txns}/${plant}`, out);
      const planted = plant
        ? ` (planted ${out.planted.staleReads} stale reads, ${out.planted.abortedReads} aborted reads, ${out.planted.writeSkews} write skews)`
        : '';
      console.log(
        `${name}: ${out.ops.toLocaleString('en')} history entries; check ${out.checkMs} ms wall, ${out.checkCpuMs} ms CPU ` +
          `(${perTxnUs(out.checkCpuMs, out.txns)}/txn CPU); peak RSS ${out.peakRssMiB} MiB (history alone ` +
          `${out.rssBeforeCheckMiB} MiB RSS, ${out.heapBeforeCheckMiB} MiB heap); verdict ${out.valid}` +
          `${out.anomalyTypes.length ? ` [${out.anomalyTypes.join(', ')}]` : ''}${planted}; generated in ${out.generateMs} ms`,
      );
    }
    console.log(
      `  load average now: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  }
  const at = (txns: number) => figures.get(`${txns}/false`)!;
  const ratio = at(1_000_000).checkCpuMs / 1_000_000 / (at(100_000).checkCpuMs / 100_000);
  const wallRatio = at(1_000_000).checkMs / 1_000_000 / (at(100_000).checkMs / 100_000);
  console.log(
    `goals: 100k valid in ${at(100_000).checkMs} ms wall / ${at(100_000).checkCpuMs} ms CPU (goal < 2000); ` +
      `1M valid in ${at(1_000_000).checkMs} ms wall / ${at(1_000_000).checkCpuMs} ms CPU (goal < 30000) at ` +
      `${at(1_000_000).peakRssMiB} MiB peak RSS (goal ≤ 4096); time per txn 1M / 100k: ${ratio.toFixed(2)} CPU, ` +
      `${wallRatio.toFixed(2)} wall (goal ≤ 2)`,
  );
}
