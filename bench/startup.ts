/**
 * CLI start-up: wall time and CPU time (user + system, of the child) of
 * `faultline --version` and of `faultline check` of one small file, median
 * of several runs each, for
 *
 * - compiled: the package's bin over dist/, as `npm install faultline` gives it
 *   (bin/faultline.js with no sources beside it; dist/ is built first if stale);
 * - sources: bin/faultline.js in this checkout (the TypeScript through tsx);
 * - before (when FAULTLINE_BENCH_BEFORE names an older checkout): its bin,
 *   for a before/after comparison;
 * - node: `node -e 0`, the floor no CLI goes under.
 *
 * CPU time is steadier than wall time on a loaded machine.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../harness/testing/build.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.FAULTLINE_BENCH_RUNS ?? 9);
const HISTORY = path.join(ROOT, 'examples', 'cas-register-good.jsonl');

/** CPU seconds of reaped children so far (utime + stime of the children, /proc/self/stat fields 16 and 17). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function measure(argv: string[]): { wallMs: number; cpuMs: number } {
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { wallMs, cpuMs: (childCpuSeconds() - cpuBefore) * 1000 };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function bench(label: string, argv: string[]): void {
  measure(argv); // warm-up: file cache, tsx's transform cache
  const runs = Array.from({ length: RUNS }, () => measure(argv));
  const wall = median(runs.map((r) => r.wallMs));
  const cpu = median(runs.map((r) => r.cpuMs));
  console.log(
    `${label.padEnd(34)} median ${wall.toFixed(0).padStart(5)} ms wall  ${cpu.toFixed(0).padStart(5)} ms CPU  (${RUNS} runs)`,
  );
}

/** A folder laid out like the installed package: bin/ and dist/, no sources. */
function installedLayout(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'faultline-bench-startup-'));
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(ROOT, 'bin', 'faultline.js'), path.join(dir, 'bin', 'faultline.js'));
  copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
  symlinkSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

export async function run(): Promise<void> {
  ensureBuilt();
  const installed = installedLayout();
  const check = ['check', HISTORY, '--model', 'cas-register'];
  const clis: Array<[string, string]> = [
    ['compiled', path.join(installed, 'bin', 'faultline.js')],
    ['sources', path.join(ROOT, 'bin', 'faultline.js')],
  ];
  const before = process.env.FAULTLINE_BENCH_BEFORE;
  if (before) clis.push(['before', path.join(before, 'bin', 'faultline.js')]);
  try {
    bench('node -e 0', [process.execPath, '-e', '0']);
    for (const [label, bin] of clis) {
      // The CLI before this change had no --version: --help loads as much (all commands).
      const version = label === 'before' ? '--help' : '--version';
      bench(`${label}: faultline ${version}`, [process.execPath, bin, version]);
      bench(`${label}: faultline check (10 ops)`, [process.execPath, bin, ...check]);
    }
  } finally {
    rmSync(installed, { recursive: true, force: true });
  }
}
