/**
 * The live line while a test runs: elapsed and remaining time, ops/s, ok / fail /
 * info counts and the active faults. Redrawn in place on a terminal; a plain log
 * line every few seconds otherwise (CI logs).
 */
import type { Op } from '../history/op.js';
import { OpPairer } from '../history/pair.js';
import type { FaultWindow } from '../results/results.js';
import { applyToWindows, type WindowSpec } from './fault-windows.js';

export interface StatusLine {
  /** Feed every recorded op. */
  record(op: Op): void;
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
}): StatusLine {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (tty ? 500 : 10_000);
  const counts = { ok: 0, fail: 0, info: 0 };
  const active = new Map<string, FaultWindow>();
  let startedAt = 0;
  let lastTotal = 0;
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  // Lenient: the status line only counts; the history is checked later.
  const pairer = new OpPairer({ processes: 'all', lenient: true });

  const render = (): string => {
    const now = Date.now();
    const elapsed = (now - startedAt) / 1000;
    const remaining = Math.max(0, options.timeLimitSeconds - elapsed);
    const total = counts.ok + counts.fail + counts.info;
    const rate = lastAt > 0 ? ((total - lastTotal) * 1000) / Math.max(1, now - lastAt) : 0;
    lastTotal = total;
    lastAt = now;
    const faults =
      active.size > 0
        ? [...active.values()].map((w) => `${w.fault} ${JSON.stringify(w.detail).slice(0, 40)}`).join(', ')
        : 'none';
    return (
      `${elapsed.toFixed(0)}s elapsed, ${remaining.toFixed(0)}s left | ${rate.toFixed(0)} ops/s | ` +
      `ok ${counts.ok} fail ${counts.fail} info ${counts.info} | faults: ${faults}`
    );
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
      const { complete } = paired.operation;
      if (op.process !== 'nemesis') counts[complete!.type] += 1;
      else if (complete!.error === undefined) applyToWindows(active, options.windows, complete!);
    },
    start() {
      startedAt = Date.now();
      lastAt = startedAt;
      timer = setInterval(draw, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}
