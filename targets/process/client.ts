/**
 * The process target's client: one adapter process per client (so, per
 * worker; a new one after every `info`, as for any client), speaking the
 * JSON Lines protocol (./protocol.ts, docs/process-protocol.md).
 *
 * The adapter decides definite (`fail`) versus indefinite (`info`) failures:
 * it knows its system. This side decides only what the adapter cannot:
 * - it exits, or cannot start, during an op: `info` (the op may have been
 *   sent to the system), with its exit status and last stderr lines;
 * - it writes a line that is not a completion: `info`, with the line;
 * - it does not answer in time: the interpreter records `info` (timed
 *   out) and this client kills the adapter.
 * After each of these the interpreter closes this client and opens a new
 * one: the adapter is restarted.
 */
import type { Logger } from '../../harness/log.js';
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import type { Client, ClientOp, Completion } from '../../workloads/client.js';
import { Adapter } from './adapter.js';
import { decodeCompletion, encodeRequest, excerpt, PROTOCOL_VERSION } from './protocol.js';

export interface AdapterCommand {
  /** The client command with its placeholders filled in for `node`. */
  command(node: NodeInfo): string;
  /** The FAULTLINE_* variables for `node`. */
  env(node: NodeInfo): Record<string, string>;
  /** Where it runs (the config file's folder). */
  cwd: string;
  workload: string;
  log: Logger;
}

/** How long an adapter gets to exit after its stdin is closed, before SIGKILL. */
const STOP_GRACE_MS = 1_000;

let adapters = 0;

export class ProcessClient implements Client {
  private adapter: Adapter | undefined;

  constructor(private readonly spec: AdapterCommand) {}

  /** Starts the adapter for `node`; rejects when it cannot be started. */
  async open(node: NodeInfo): Promise<void> {
    const label = `client adapter ${++adapters} (${node.name})`;
    this.adapter = new Adapter(this.spec.command(node), {
      cwd: this.spec.cwd,
      env: {
        ...this.spec.env(node),
        FAULTLINE_PROTOCOL: String(PROTOCOL_VERSION),
        FAULTLINE_WORKLOAD: this.spec.workload,
      },
      log: this.spec.log,
      label,
    });
    await this.adapter.started();
  }

  /** Sends the op and reads the adapter's completion; see the module comment for what is not one. */
  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const adapter = this.adapter;
    if (!adapter) return { type: 'fail', error: 'no client adapter (not open)' };
    adapter.send(encodeRequest(op));
    const aborted = new Promise<'aborted'>((resolve) => {
      if (signal.aborted) resolve('aborted');
      signal.addEventListener('abort', () => resolve('aborted'), { once: true });
    });
    const event = await Promise.race([adapter.next(), aborted]);
    if (event === 'aborted') {
      adapter.kill(); // it may be stuck: the interpreter starts a new one
      return { type: 'info', error: 'timed out: the client adapter did not answer in time (restarted)' };
    }
    if (event.kind === 'exited') return { type: 'info', error: `${event.reason} during the op (restarted)` };
    const decoded = decodeCompletion(event.line);
    if (!decoded.ok) {
      return {
        type: 'info',
        error: `client adapter wrote a malformed line: ${decoded.reason}: ${excerpt(event.line)} (restarted)`,
      };
    }
    return decoded.completion;
  }

  /** Closes the adapter's stdin, and kills it if it has not exited within a second. */
  async close(): Promise<void> {
    const adapter = this.adapter;
    this.adapter = undefined;
    await adapter?.stop(STOP_GRACE_MS);
  }
}
