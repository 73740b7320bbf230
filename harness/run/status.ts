/**
 * The live line while a test runs: elapsed and remaining time, ops/s, ok / fail /
 * info counts and the active faults. Redrawn in place on a terminal; a plain log
 * line every few seconds otherwise (CI logs).
 */
import type { Op } from '../history/op.js';

export interface StatusLine {
  /** Feed every recorded op. */
  record(op: Op): void;
  start(): void;
  /** Stops redrawing and clears the line. */
  stop(): void;
}

export function statusLine(options: {
  timeLimitSeconds: number;
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
        if (op.type === 'info' && op.value !== undefined) noteFault(active, op.f, op.value);
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

/** Tracks which faults are active from the nemesis completions' f names. */
function noteFault(active: Map<string, string>, f: string, value: unknown): void {
  const match = /^(start|stop)-(.+)$/.exec(f);
  const brief = JSON.stringify(value).slice(0, 40);
  if (match) {
    if (match[1] === 'start') active.set(match[2]!, `${match[2]} ${brief}`);
    else active.delete(match[2]!);
  } else if (f === 'kill' || f === 'pause') active.set(f, `${f} ${brief}`);
  else if (f === 'start' || f === 'restart') active.delete('kill');
  else if (f === 'resume') active.delete('pause');
  else if (f === 'bump-clock' || f === 'strobe-clock') active.set('clock', `clock ${brief}`);
  else if (f === 'reset-clock') active.delete('clock');
}
