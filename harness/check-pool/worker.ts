/**
 * A check pool worker thread (see pool.ts): runs one task at a time, a
 * function exported by a module, `(input, { signal }) => Promise<output>`,
 * and posts its output back. A cancel message aborts the task's signal.
 */
import { parentPort } from 'node:worker_threads';

export type TaskMessage =
  | { type: 'run'; id: number; module: string; name: string; input: unknown }
  | { type: 'cancel'; id: number };

export type WorkerReply = { type: 'done'; id: number; output: unknown } | { type: 'failed'; id: number; error: string };

type TaskFunction = (input: unknown, options: { signal: AbortSignal }) => Promise<unknown>;

const running = new Map<number, AbortController>();

async function run(message: Extract<TaskMessage, { type: 'run' }>): Promise<WorkerReply> {
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const module = (await import(message.module)) as Record<string, unknown>;
    const task = module[message.name];
    if (typeof task !== 'function') throw new Error(`${message.module} exports no function ${message.name}`);
    const output = await (task as TaskFunction)(message.input, { signal: controller.signal });
    return { type: 'done', id: message.id, output };
  } catch (err) {
    return { type: 'failed', id: message.id, error: err instanceof Error ? err.message : String(err) };
  } finally {
    running.delete(message.id);
  }
}

parentPort?.on('message', (message: TaskMessage) => {
  if (message.type === 'cancel') {
    running.get(message.id)?.abort();
    return;
  }
  void run(message).then((reply) => parentPort?.postMessage(reply));
});
