/**
 * Client: how a worker talks to the SUT (Jepsen's client protocol).
 *
 * `invoke` resolves to a completion. Deciding definite (`fail`: certainly did
 * not happen) vs indefinite (`info`: may have happened) belongs in one place
 * per client. A thrown error or a timeout is treated as `info` by the interpreter.
 */
import type { OpRequest } from '../harness/history/op.js';
import type { NodeInfo } from '../harness/runtime/runtime.js';

/** What a client is asked to do: an OpRequest of a client process. */
export type ClientOp = OpRequest & { process: number };

/**
 * What a client answers. For reads, `value` is the value read; when absent,
 * the invocation's value is recorded. Any JS value is accepted: the
 * interpreter makes it JSON before it enters the history.
 */
export interface Completion {
  type: 'ok' | 'fail' | 'info';
  value?: unknown;
  error?: unknown;
  /**
   * The node that served the op, when it is not the one the client was
   * opened on (e.g. a client that sends reads to any node). Default: the
   * client's node. Recorded as the completion's `node`.
   */
  node?: string;
}

/**
 * A client of the system under test, for one worker thread: opened on a
 * node, then given one op at a time. `invoke` resolves with ok, fail
 * (certainly not done) or info (maybe done); a throw, or no answer before the
 * signal aborts, is recorded as info. After an info the client is closed and
 * a fresh one made.
 */
export interface Client {
  /** Connect to a node. Called again with a fresh client after an `info`. */
  open(node: NodeInfo): Promise<void>;
  /** `signal` aborts when the interpreter's per-op timeout fires. */
  invoke(op: ClientOp, signal: AbortSignal): Promise<Completion>;
  close(): Promise<void>;
}

/**
 * A client, typed (an identity function). A target's `clients` map holds a
 * factory per workload that makes a fresh one: `(ctx, workload) => defineClient({ open, invoke, close })`.
 */
export function defineClient<C extends Client>(client: C): C {
  return client;
}
