/**
 * One client thread's worker: owns the thread's client, opens and reopens
 * it, and runs one op at a time under the per-op timeout. It never throws:
 * whatever the client does becomes a completion.
 *
 * - client returns ok / fail / info: recorded as such (a missing value keeps
 *   the invocation's value, like Jepsen; the interpreter makes values JSON;
 *   the node is the client's unless the completion names the node that served it).
 * - client throws, returns garbage, or the timeout fires (its AbortSignal is
 *   aborted): `info` — it may or may not have happened.
 * - after an `info` the client is closed and a new one is made and opened
 *   before the next op (the scheduler gives the thread a fresh process).
 * - the client cannot be opened (throws or hangs): the op is `fail` with
 *   error "no client: ..." (it was never sent), and opening is retried before
 *   a later op, no sooner than `reopenBackoffMs` after the failure.
 */

import type { Client, ClientOp, Completion } from '../../workloads/client.js';
import type { Json, Op } from '../history/op.js';
import type { Logger } from '../log.js';
import type { NodeInfo } from '../runtime/runtime.js';
import type { Answer } from './answer.js';

export interface ClientWorkerOptions {
  thread: number;
  makeClient: (thread: number) => Client;
  node: NodeInfo;
  opTimeoutMs: number;
  reopenBackoffMs: number;
  log: Logger;
  /** Aborted when the run stops early: cuts a reopen backoff short. */
  runSignal: AbortSignal;
}

type Outcome = { kind: 'done'; completion: Completion } | { kind: 'threw'; error: unknown } | { kind: 'timeout' };

export class ClientWorker {
  private client: Client | undefined;
  private lastOpenFailure: { atMs: number; message: string } | undefined;
  /** A close still in progress; the next open waits for it. */
  private closing: Promise<void> | undefined;
  /** Ops that hit the timeout so far. */
  timeouts = 0;

  constructor(private readonly options: ClientWorkerOptions) {}

  /** Opens the client now (at the start of the run). Returns whether it opened; failures are logged. */
  async open(): Promise<boolean> {
    return (await this.tryOpen()) === undefined;
  }

  /** Runs `invocation` and returns how it completed. Never throws. */
  async run(invocation: Op): Promise<Answer> {
    const node = this.options.node.name;
    if (this.client === undefined) {
      const problem = await this.openWithBackoff();
      if (problem !== undefined) return { type: 'fail', node, error: `no client: ${problem}` };
    }
    const client = this.client!;
    const op: ClientOp = { process: invocation.process as number, f: invocation.f };
    if (invocation.value !== undefined) op.value = invocation.value;
    if (invocation.key !== undefined) op.key = invocation.key;

    const outcome = await this.invokeWithTimeout(client, op);
    let fields: Answer;
    if (outcome.kind === 'timeout') {
      this.timeouts++;
      fields = { type: 'info', value: invocation.value, node, error: `timed out after ${this.options.opTimeoutMs} ms` };
    } else if (outcome.kind === 'threw') {
      fields = { type: 'info', value: invocation.value, node, error: `client threw: ${describeValue(outcome.error)}` };
    } else {
      fields = this.fromCompletion(outcome.completion, invocation.value, node);
    }
    if (fields.type === 'info') this.retireClient();
    return fields;
  }

  /** Closes the client for good (end of the run), bounded by the op timeout. */
  async close(): Promise<void> {
    this.retireClient();
    await this.closing;
  }

  private fromCompletion(c: Completion, invokedValue: Json | undefined, node: string): Answer {
    const type = (c as { type?: unknown } | null)?.type;
    if (type !== 'ok' && type !== 'fail' && type !== 'info') {
      return {
        type: 'info',
        value: invokedValue,
        node,
        error: `client returned an invalid completion: ${describeValue(c)}`,
      };
    }
    // A client may name the node that served the op (a read sent to another node); anything else is ignored.
    const served = typeof c.node === 'string' && c.node !== '' ? c.node : node;
    return { type, value: c.value === undefined ? invokedValue : c.value, node: served, error: c.error };
  }

  /** The client's answer, or a timeout (then the op's signal is aborted). One promise and one timer per op. */
  private invokeWithTimeout(client: Client, op: ClientOp): Promise<Outcome> {
    const { opTimeoutMs } = this.options;
    const controller = new AbortController();
    return new Promise<Outcome>((resolve) => {
      let settled = false;
      const settle = (outcome: Outcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        settle({ kind: 'timeout' });
        controller.abort(new Error(`op timed out after ${opTimeoutMs} ms`));
      }, opTimeoutMs);
      try {
        client.invoke(op, controller.signal).then(
          (completion) => settle({ kind: 'done', completion }),
          (error: unknown) => settle({ kind: 'threw', error }),
        );
      } catch (error) {
        settle({ kind: 'threw', error }); // invoke threw instead of rejecting
      }
    });
  }

  /** Returns undefined once open, or why it could not be opened. */
  private async openWithBackoff(): Promise<string | undefined> {
    const failure = this.lastOpenFailure;
    if (failure) {
      const waitMs = failure.atMs + this.options.reopenBackoffMs - Date.now();
      if (waitMs > 0 && !(await sleepUnlessAborted(waitMs, this.options.runSignal))) {
        return `${failure.message} (not retried: the run is stopping)`;
      }
    }
    return this.tryOpen();
  }

  private async tryOpen(): Promise<string | undefined> {
    await this.closing;
    const { thread, node, opTimeoutMs, log } = this.options;
    let client: Client;
    try {
      client = this.options.makeClient(thread);
    } catch (err) {
      return this.openFailed(`making the client failed: ${describeValue(err)}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), opTimeoutMs);
    });
    let opened: Promise<unknown>;
    try {
      opened = client.open(node).then(
        () => 'ok',
        (err: unknown) => err,
      );
    } catch (err) {
      opened = Promise.resolve(err);
    }
    const result = await Promise.race([opened, timedOut]);
    clearTimeout(timer);
    if (result === 'ok') {
      this.client = client;
      this.lastOpenFailure = undefined;
      return undefined;
    }
    // Half-open clients are closed too, in the background.
    this.closeInBackground(client);
    const message =
      result === 'timeout'
        ? `opening on ${node.name} timed out after ${opTimeoutMs} ms`
        : `opening on ${node.name} failed: ${describeValue(result)}`;
    log.warn(`client thread ${thread}: ${message}`);
    return this.openFailed(message);
  }

  private openFailed(message: string): string {
    this.lastOpenFailure = { atMs: Date.now(), message };
    return message;
  }

  private retireClient(): void {
    const old = this.client;
    this.client = undefined;
    if (old) this.closeInBackground(old);
  }

  /** Closes `client`, bounded by the op timeout; a close that fails or hangs is logged, never thrown. */
  private closeInBackground(client: Client): void {
    const { opTimeoutMs, log, thread } = this.options;
    const previous = this.closing;
    const closing = (async () => {
      await previous;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), opTimeoutMs);
      });
      let closed: Promise<unknown>;
      try {
        closed = client.close().then(
          () => 'ok',
          (err: unknown) => err,
        );
      } catch (err) {
        closed = Promise.resolve(err);
      }
      const result = await Promise.race([closed, timedOut]);
      clearTimeout(timer);
      if (result === 'timeout') log.warn(`client thread ${thread}: close timed out after ${opTimeoutMs} ms`);
      else if (result !== 'ok') log.warn(`client thread ${thread}: close failed: ${describeValue(result)}`);
    })();
    this.closing = closing;
    void closing.then(() => {
      if (this.closing === closing) this.closing = undefined;
    });
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function describeValue(x: unknown): string {
  if (x instanceof Error) return x.message;
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}
