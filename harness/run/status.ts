/**
 * The live line while a test runs: the phase, elapsed and remaining time,
 * ops/s and p50 / p99 latency of the last interval, ok / fail / info counts,
 * and the active faults in words ("partition: n1 n2 | n3 n4 n5", "pause:
 * paused n3"). Redrawn in place on a terminal; a plain log line every few
 * seconds otherwise (CI logs). After the workload it says what the run is
 * doing (healing, letting the cluster recover, final reads, checking), so a
 * quiet stretch of 0 ops/s is explained.
 */
import type { Op } from '../history/op.js';
import { OpPairer } from '../history/pair.js';
import type { FaultWindow } from '../results/results.js';
import { applyToWindows, type WindowSpec } from './fault-windows.js';

/** What the run is doing. */
export type RunPhase = 'setting up' | 'workload' | 'healing' | 'recovery' | 'final reads' | 'checking' | 'tearing down';

/** What each phase does when no op is running, said instead of "0 ops/s". */
const QUIET: Partial<Record<RunPhase, string>> = {
  'setting up': 'bringing the nodes and the system up',
  healing: 'healing every fault',
  recovery: 'letting the cluster recover before the final reads',
  checking: 'checking the history',
  'tearing down': 'stopping the system and tearing the nodes down',
};

export interface StatusLine {
  /** Feed every recorded op. */
  record(op: Op): void;
  /** The run entered this phase. */
  phase(phase: RunPhase): void;
  start(): void;
  /** Stops redrawing and clears the line. */
  stop(): void;
}

export function statusLine(options: {
  timeLimitSeconds: number;
  /** Which nemesis f opens and closes which fault (the nemesis package's windows). */
  windows: readonly WindowSpec[];
  stream?: NodeJS.WriteStream;
  intervalMs?: number;
  /** Milliseconds now (tests). */
  now?: () => number;
}): StatusLine {
  const stream = options.stream ?? process.stderr;
  const clock = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (tty ? 500 : 10_000);
  const counts = { ok: 0, fail: 0, info: 0 };
  const active = new Map<string, FaultWindow>();
  let phase: RunPhase = 'setting up';
  let phaseAt = clock();
  let workloadAt: number | undefined;
  let lastAt: number | undefined;
  /** Latencies (ms) of the ops completed since the last line. */
  let latencies: number[] = [];
  let timer: NodeJS.Timeout | undefined;
  // Lenient: the status line only counts; the history is checked later.
  const pairer = new OpPairer({ processes: 'all', lenient: true });

  const render = (): string => {
    const now = clock();
    const rate = lastAt !== undefined ? (latencies.length * 1000) / Math.max(1, now - lastAt) : 0;
    const sorted = latencies.sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
    const latency = sorted.length > 0 ? ` | p50 ${q(0.5).toFixed(0)} ms p99 ${q(0.99).toFixed(0)} ms` : '';
    latencies = [];
    lastAt = now;
    const faults =
      active.size > 0
        ? [...active.values()].map((w) => (w.text ? `${w.fault}: ${w.text}` : w.fault)).join(', ')
        : 'none';
    const inPhase = Math.round((now - phaseAt) / 1000);
    const time =
      phase === 'workload' && workloadAt !== undefined
        ? `${Math.round((now - workloadAt) / 1000)}s elapsed, ` +
          `${Math.max(0, Math.round(options.timeLimitSeconds - (now - workloadAt) / 1000))}s left`
        : `${inPhase}s`;
    const activity = rate === 0 && QUIET[phase] !== undefined ? QUIET[phase] : `${rate.toFixed(0)} ops/s${latency}`;
    return `${phase}: ${time} | ${activity} | ok ${counts.ok} fail ${counts.fail} info ${counts.info} | faults: ${faults}`;
  };

  const draw = () => {
    const line = render();
    if (tty) stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
    else stream.write(`${new Date().toISOString()} status ${line}\n`);
  };

  return {
    record(op) {
      const paired = pairer.add(op);
      if (paired?.kind !== 'completed') return;
      const { invoke, complete } = paired.operation;
      if (op.process !== 'nemesis') {
        counts[complete!.type] += 1;
        latencies.push((complete!.time - invoke.time) / 1e6);
      } else if (complete!.error === undefined) {
        applyToWindows(active, options.windows, complete!);
      }
    },
    phase(next) {
      if (next === phase) return;
      phase = next;
      phaseAt = clock();
      if (next === 'workload') workloadAt = phaseAt;
      if (next !== 'workload' && timer) draw();
    },
    start() {
      lastAt = clock();
      timer = setInterval(draw, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
