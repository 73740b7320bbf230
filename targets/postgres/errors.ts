/**
 * The one place that decides whether a failed PostgreSQL transaction
 * certainly did not happen (`fail`) or may have happened (`info`). The
 * clients say how far the transaction got (its stage) when it failed:
 *
 * - `connect`: the connection could not be made (refused, unreachable,
 *   timed out, closed during start-up) -> fail: nothing was sent.
 * - `body`: BEGIN and the statements, before COMMIT was sent.
 *   - An error the server answered with (40001 serialization failure,
 *     40P01 deadlock, or any other) -> fail: PostgreSQL aborts the
 *     transaction, and we never send COMMIT for it.
 *   - The connection was lost, or our timeout fired (we then destroy the
 *     connection) -> fail: a transaction whose connection closes before
 *     COMMIT is rolled back by the server; nothing can commit it any more.
 * - `commit`: COMMIT was sent.
 *   - The server answered COMMIT with an ERROR (40001 from SSI at commit,
 *     40P01, a deferred constraint) -> fail: an error answer to COMMIT means
 *     it rolled back, and the session goes on.
 *   - The server answered with a FATAL or PANIC (the backend is terminating:
 *     57P01 admin shutdown, a crash) -> info: the backend may have written
 *     the commit record before it was told to stop.
 *   - The connection was lost or our timeout fired before the answer -> info:
 *     the commit may have been durable before the answer was lost.
 * - A transaction that writes nothing changes nothing, so it is `fail` at
 *   any stage: leaving it out of the history loses no constraint.
 */
import pg from 'pg';
import type { Completion } from '../../workloads/client.js';

export type TxnStage = 'connect' | 'body' | 'commit';

/** A failed transaction step: how far it got, and whether our timeout cut it off. */
export interface TxnFailure {
  error: unknown;
  stage: TxnStage;
  readOnly: boolean;
  /** True when the op's timeout fired (the client then destroyed the connection). */
  timedOut: boolean;
}

/** The completion for a failed transaction (see the module comment); never throws. */
export function completionForFailure(failure: TxnFailure): Completion {
  return { type: isDefinite(failure) ? 'fail' : 'info', error: describe(failure) };
}

/** True when the transaction certainly did not commit. */
export function isDefinite({ error, stage, readOnly, timedOut }: TxnFailure): boolean {
  if (readOnly) return true;
  switch (stage) {
    case 'connect':
    case 'body':
      return true;
    case 'commit':
      return !timedOut && serverAnswered(error) && (error as pg.DatabaseError).severity === 'ERROR';
  }
}

/** An answer from the server (an ErrorResponse), as opposed to a broken or timed-out connection. */
function serverAnswered(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && typeof error.code === 'string';
}

/** A short reason for the history's `error` field: the SQLSTATE and message, or what broke. */
function describe({ error, stage, timedOut }: TxnFailure): string {
  const where = stage === 'connect' ? 'connecting' : stage === 'commit' ? 'after COMMIT was sent' : 'before COMMIT';
  if (timedOut) return `timed out ${where}`;
  if (serverAnswered(error)) return `${error.code} ${error.message}`;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `${stage === 'connect' ? 'connect failed' : `connection lost ${where}`}: ${typeof code === 'string' ? code : message}`;
}
