/**
 * The live line while a test runs: elapsed and remaining time, ops/s, ok / fail /
 * info counts and the active faults. Redrawn in place on a terminal; a plain log
 * line every few seconds otherwise (CI logs).
 */
import type { Op } from '../history/op.js';
import type { WindowSpec } from './fault-windows.js';

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
  const active = new Map<string, string>();
  let startedAt = 0;
  let lastTotal = 0;
  let lastAt = 0;
  let timer: NodeJS.Timeout | undefined;
  // Nemesis ops come in pairs (invocation, completion); only completions say what was done.
  let nemesisCompletion = false;

  const render = (): string => {
    const now = Date.now();
    const elapsed = (now - startedAt) / 1000;
    const remaining = Math.max(0, options.timeLimitSeconds - elapsed);
    const total = counts.ok + counts.fail + counts.info;
    const rate = lastAt > 0 ? ((total - lastTotal) * 1000) / Math.max(1, now - lastAt) : 0;
    lastTotal = total;
    lastAt = now;
    const faults = active.size > 0 ? [...active.values()].join(', ') : 'none';
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
      if (op.process === 'nemesis') {
        nemesisCompletion = !nemesisCompletion;
        if (nemesisCompletion && op.error === undefined) noteFault(active, options.windows, op);
        return;
      }
      if (op.type !== 'invoke') counts[op.type] += 1;
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

/** Tracks which faults are active from the nemesis completions. */
function noteFault(active: Map<string, string>, windows: readonly WindowSpec[], op: Op): void {
  for (const w of windows) {
    if (op.f === w.start) active.set(w.label, `${w.label} ${JSON.stringify(op.value ?? null).slice(0, 40)}`);
    else if (op.f === w.stop) active.delete(w.label);
  }
}
