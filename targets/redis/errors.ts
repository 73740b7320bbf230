/**
 * The one place that decides whether a failed Redis request certainly did
 * not happen (`fail`) or may have happened (`info`).
 *
 * - A read changes nothing, so a read that failed in any way is `fail`.
 * - A write (write, cas, add) is `fail` only when Redis certainly did not apply it:
 *   - NotSentError: the client was not connected to a node in the role it
 *     needed, so the command was never written to a socket;
 *   - ioredis refused to write it ("Stream isn't writeable ... enableOfflineQueue
 *     options is false"): the connection was already gone, nothing was sent;
 *   - Redis answered with an error reply (ReplyError: READONLY from a primary
 *     demoted to replica, NOREPLICAS from min-replicas-to-write, MASTERDOWN,
 *     LOADING, BUSY, ERR ...): Redis runs each command atomically and replies
 *     with an error only when it did not run it. (A Lua script could fail
 *     after writing; the cas script writes last, after its only check.)
 * - Everything else is `info`: our timeout (the signal fired), a connection
 *   that closed or reset after the command was written (ioredis flushes it with
 *   "Connection is closed." or MaxRetriesPerRequestError), a failover that
 *   dropped the connection mid-command, and every failure of the WAIT after a
 *   write that Redis did apply: WaitShortfallError (fewer replicas than asked
 *   acknowledged it in time: the write may be lost in a failover, or survive)
 *   and a WAIT cut off by a broken connection.
 *
 * A cas whose comparison failed is not an error: the client returns `fail`
 * for it itself (the script answered 0: certainly not applied).
 */
import type { Completion } from '../../workloads/client.js';

/** The command was never sent: no ready connection to a node in the role needed. */
export class NotSentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotSentError';
  }
}

/** The write was applied by the primary, but WAIT saw fewer replicas acknowledge it than asked, in time. */
export class WaitShortfallError extends Error {
  constructor(
    readonly replicated: number,
    readonly wanted: number,
  ) {
    super(`WAIT: ${replicated} of ${wanted} replicas acknowledged the write in time`);
    this.name = 'WaitShortfallError';
  }
}

/** The write was applied by the primary, but the WAIT after it failed (e.g. the connection broke). */
export class WaitFailedError extends Error {
  constructor(cause: unknown) {
    super(`WAIT after the write failed: ${describe(cause)}`, { cause });
    this.name = 'WaitFailedError';
  }
}

/** Our own timeout: the interpreter's signal fired while the command was out. */
export class TimedOutError extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimedOutError';
  }
}

const NOT_WRITTEN = "Stream isn't writeable";

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

/** True when the failed write certainly was not applied by Redis (see the module comment). */
export function isDefinite(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof WaitShortfallError || err instanceof WaitFailedError || err instanceof TimedOutError) return false;
  return isNotSent(err) || err.name === 'ReplyError';
}

/** True when the command never left the client (no connection ready, or ioredis would not write it). */
export function isNotSent(err: unknown): boolean {
  return err instanceof NotSentError || (err instanceof Error && err.message.startsWith(NOT_WRITTEN));
}

/** A short reason for the history's `error` field. */
export function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
