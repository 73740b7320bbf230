/**
 * The one place that decides whether a failed ZooKeeper request certainly
 * did not happen (`fail`) or may have happened (`info`).
 *
 * - A read changes nothing, so a read that failed in any way is `fail`
 *   (also the sync before it).
 * - A write (write, cas) is `fail` only when ZooKeeper certainly did not apply it:
 *   - NotSentError: the client's session was not connected when the op
 *     began (or had expired), so nothing was sent; also every failure of a
 *     read step before the write step (cas reads the version first);
 *   - an error reply to the write itself: NO_NODE, NODE_EXISTS, BAD_VERSION,
 *     NOT_EMPTY, BAD_ARGUMENTS, NO_AUTH, INVALID_ACL: the leader checked the
 *     request and refused it before it became a transaction.
 * - Everything else is `info`: CONNECTION_LOSS (the connection broke with the
 *   request in flight, or queued: the client cannot tell), OPERATION_TIMEOUT,
 *   SESSION_EXPIRED raised with the request in flight (the write may have
 *   committed before the session ended), our own timeout, and any error we
 *   do not recognise.
 *
 * A cas whose comparison failed is not an error: the client returns `fail`
 * for it itself (certainly not applied).
 */
import type { Completion } from '../../workloads/client.js';

/** Nothing was sent: the session was not connected, or an earlier read step of the op failed. */
export class NotSentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotSentError';
  }
}

/** Our own timeout: the interpreter's signal fired while the request was out. */
export class TimedOutError extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimedOutError';
  }
}

/** node-zookeeper-client's error codes (lib/Exception.js) for refusals of a request the server checked. */
const REFUSED = new Map([
  [-101, 'NO_NODE'],
  [-110, 'NODE_EXISTS'],
  [-103, 'BAD_VERSION'],
  [-111, 'NOT_EMPTY'],
  [-8, 'BAD_ARGUMENTS'],
  [-102, 'NO_AUTH'],
  [-114, 'INVALID_ACL'],
]);

/** The f names whose operations change nothing. */
const READ_ONLY = new Set(['read']);

/**
 * Turns an error thrown while performing `f` into a completion.
 * Returns `fail` (with the reason as `error`) when the op certainly did not
 * happen, `info` when it may have; never throws.
 */
export function completionForError(err: unknown, f: string): Completion {
  const error = describe(err);
  if (READ_ONLY.has(f)) return { type: 'fail', error };
  return { type: isDefinite(err) ? 'fail' : 'info', error };
}

/** True when the failed write certainly was not applied (see the module comment). */
export function isDefinite(err: unknown): boolean {
  if (err instanceof NotSentError) return true;
  const code = zkCode(err);
  return code !== undefined && REFUSED.has(code);
}

/** The ZooKeeper error code of a node-zookeeper-client Exception, or undefined for any other error. */
export function zkCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && typeof (err as { getCode?: unknown }).getCode === 'function' ? code : undefined;
}

/** A short reason for the history's `error` field. */
export function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : String(err);
}
