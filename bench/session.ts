/**
 * Session-guarantees checker benchmark: check time (wall and CPU) and heap
 * growth on register histories of the simulated primary/replica store
 * (checkers/session/testing/store.ts), and on a set history shaped like
 * Jepsen's set-full (one key, adds of 0, 1, 2, ..., a read of the whole set
 * every tenth op, served by a replica a few adds behind).
 */
import { checkSession, type SessionCheckerOptions } from '../checkers/session/index.js';
import { simulateStore } from '../checkers/session/testing/store.js';
import type { Op } from '../harness/history/op.js';
import { seededRng } from '../harness/history/random.js';

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function time(name: string, history: Op[], options: SessionCheckerOptions): void {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = checkSession(history, options);
  const ms = performance.now() - started;
  const cpuMs = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1000;
  const heap = process.memoryUsage().heapUsed - heapBefore;
  const violations = result.ladder.map((r) => `${r.guarantee} ${r.violations}`).join(', ');
  console.log(
    `${name}: ${history.length} history ops, ${result.reads} reads, ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms), ` +
      `heap +${mib(heap)}; verdict ${String(result.valid)} (${violations})`,
  );
}

/**
 * One key; `clients` processes add 0, 1, 2, ...; every tenth op reads the
 * set, every other such read from a replica `lag` adds behind; a last read
 * sees everything (else checkers/set would call the last adds lost).
 */
function setFull(ops: number, clients: number, lag: number): Op[] {
  const history: Op[] = [];
  const push = (op: Omit<Op, 'index' | 'time'>) =>
    history.push({ ...op, index: history.length, time: history.length * 1e6 } as Op);
  let next = 0;
  for (let i = 0; i < ops; i++) {
    const process = i % clients;
    if (i % 10 === 9) {
      push({ type: 'invoke', process, f: 'read', value: null });
      const upTo = Math.max(0, next - (i % 20 === 19 ? lag : 0));
      push({ type: 'ok', process, f: 'read', value: Array.from({ length: upTo }, (_, e) => e), node: 'n2' });
    } else {
      push({ type: 'invoke', process, f: 'add', value: next });
      push({ type: 'ok', process, f: 'add', value: next++, node: 'n1' });
    }
  }
  push({ type: 'invoke', process: 0, f: 'read', value: null });
  push({ type: 'ok', process: 0, f: 'read', value: Array.from({ length: next }, (_, e) => e), node: 'n1' });
  return history;
}

export async function run(): Promise<void> {
  for (const keys of [10, 1]) {
    const { history } = simulateStore({
      datatype: 'register',
      clients: 10,
      keys,
      ops: 100_000,
      lags: [5, 50],
      reads: 'any',
      replication: 'in-order',
      overlap: true,
      infoRate: 0.05,
      random: seededRng(7).next,
    });
    time(`(${keys === 10 ? 1 : 2}) registers, 10 clients, ${keys} key(s), 100k ops, reads from any node`, history, {});
  }
  // Most of the time here is checkers/set's (lost and unexpected elements), which the set check includes:
  // at 20k ops about 2 s CPU for the four guarantees and 34 s for checkers/set.
  for (const ops of [10_000, 20_000]) {
    time(
      `(3) set-full shape, 10 clients, 1 key, ${ops / 1000}k ops, every other read 5 adds behind`,
      setFull(ops, 10, 5),
      {
        datatype: 'set',
      },
    );
  }
}
