/**
 * The check pool: worker threads that run checkers' tasks (a TaskPool, see
 * checkers/checker.ts), so a check uses every core when several of its
 * parts are hard. Workers start on the first task and stay for the next
 * ones (start-up is the expensive part), idle workers do not keep the
 * process alive, and `close` ends them.
 *
 * A worker runs one task at a time; tasks beyond the pool's size wait. A
 * task's signal, when it aborts, is passed on to the task in its thread.
 *
 * Worker code: compiled JavaScript when this file is compiled (worker.js
 * beside it); in development, TypeScript through tsx (worker-entry.mjs
 * registers tsx in the thread first, which costs most of a worker's ~200 ms
 * start; see bench/checker.ts).
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskPool } from '../../checkers/checker.js';
import type { TaskMessage, WorkerReply } from './worker.js';

export interface CheckPool extends TaskPool {
  /** Ends every worker; tasks still running reject. The pool can start new workers afterwards. */
  close(): Promise<void>;
}

export interface CheckPoolOptions {
  /** Worker threads at most. Default: one fewer than the cores (0 on one core: every task then rejects). */
  size?: number | undefined;
}

/** The worker's entry file: compiled JavaScript when it exists beside this file, else the tsx entry. */
export function workerEntry(here: string = import.meta.url): URL {
  const compiled = new URL('./worker.js', here);
  if (here.endsWith('.js') && existsSync(fileURLToPath(compiled))) return compiled;
  return new URL('./worker-entry.mjs', here);
}

interface Slot {
  worker: Worker;
  /** The task it runs, if any. */
  busy: { id: number; resolve: (output: unknown) => void; reject: (err: Error) => void } | undefined;
}

interface Waiting {
  message: TaskMessage;
  signal: AbortSignal | undefined;
  resolve: (output: unknown) => void;
  reject: (err: Error) => void;
}

export function createCheckPool(options: CheckPoolOptions = {}): CheckPool {
  const size = options.size ?? Math.max(0, availableParallelism() - 1);
  const slots = new Set<Slot>();
  const waiting: Waiting[] = [];
  let nextId = 0;

  const finish = (slot: Slot, settle: (busy: NonNullable<Slot['busy']>) => void): void => {
    const busy = slot.busy;
    slot.busy = undefined;
    slot.worker.unref();
    if (busy) settle(busy);
    dispatch();
  };

  const start = (): Slot => {
    const worker = new Worker(workerEntry());
    const slot: Slot = { worker, busy: undefined };
    worker.on('message', (reply: WorkerReply) => {
      if (slot.busy?.id !== reply.id) return;
      if (reply.type === 'done') finish(slot, (b) => b.resolve(reply.output));
      else finish(slot, (b) => b.reject(new Error(reply.error)));
    });
    const lost = (err: Error): void => {
      slots.delete(slot);
      finish(slot, (b) => b.reject(err));
    };
    worker.on('error', (err) => lost(new Error(`check worker failed: ${err.message}`, { cause: err })));
    worker.on('exit', (code) => lost(new Error(`check worker exited with code ${code}`)));
    slots.add(slot);
    return slot;
  };

  /** Gives waiting tasks to idle workers, starting workers up to `size`. */
  const dispatch = (): void => {
    while (waiting.length > 0) {
      let slot = [...slots].find((s) => s.busy === undefined);
      if (!slot && slots.size < size) slot = start();
      if (!slot) return;
      const task = waiting.shift()!;
      if (task.signal?.aborted) {
        task.reject(new Error('the task was stopped before it started'));
        continue;
      }
      slot.busy = { id: task.message.id, resolve: task.resolve, reject: task.reject };
      slot.worker.ref();
      const active = slot;
      task.signal?.addEventListener(
        'abort',
        () => {
          if (active.busy?.id === task.message.id) active.worker.postMessage({ type: 'cancel', id: task.message.id });
        },
        { once: true },
      );
      slot.worker.postMessage(task.message);
    }
  };

  return {
    size,
    run(task, input, signal) {
      if (size === 0) return Promise.reject(new Error('the check pool has no workers (one core)'));
      return new Promise((resolve, reject) => {
        const message: TaskMessage = { type: 'run', id: nextId++, module: task.module, name: task.name, input };
        waiting.push({ message, signal, resolve, reject });
        dispatch();
      });
    },
    async close() {
      for (const task of waiting.splice(0)) task.reject(new Error('the check pool closed'));
      await Promise.all([...slots].map((s) => s.worker.terminate()));
      slots.clear();
    },
  };
}
