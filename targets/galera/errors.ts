/**
 * The one place that decides whether a Galera transaction that went wrong
 * certainly did not commit (`fail`) or may have (`info`). A client runs a
 * transaction in three phases (TxnPhase) and hands the error and the phase
 * it failed in here:
 *
 * - connect: no transaction began (connection refused, unreachable, access
 *   denied, the session's SET refused): `fail`.
 * - statements: COMMIT was never sent. A failed statement (lock wait
 *   timeout, deadlock, lost connection, our timeout) leaves the transaction
 *   uncommitted; the client rolls it back, or the server does when the
 *   connection closes. Nothing of it can commit: `fail`.
 * - commit: COMMIT was sent. Then
 *   - 1213 ER_LOCK_DEADLOCK ("Deadlock found ... try restarting
 *     transaction") → `fail`: on Galera this is also how a certification
 *     failure or a brute-force abort by a replicated transaction is
 *     reported. MariaDB rolls the whole transaction back, and certification
 *     is deterministic (every node certifies the same write-set in the same
 *     order with the same outcome), so no node commits it.
 *   - 1047 ER_UNKNOWN_COM_ERROR ("WSREP has not yet prepared node for
 *     application use") → `fail`: the node is not in the primary component
 *     and refuses the statement without replicating anything.
 *   - anything else → `info`: the connection broke or our timeout fired
 *     after COMMIT was sent (it may have been replicated and applied), or a
 *     server error we do not recognise.
 *
 * 1213 and 1047 are `fail` in every phase. If a `fail` of ours were wrong,
 * the checkers would show it: another transaction reading its write is an
 * aborted read (G1a).
 */
import type { Completion } from '../../workloads/client.js';

export type TxnPhase = 'connect' | 'statements' | 'commit';

/** MariaDB server error numbers the rules name. */
export const ER_LOCK_DEADLOCK = 1213;
export const ER_WSREP_NOT_READY = 1047;

/** The errno of a MariaDB (connector) error, if it has one. */
function errnoOf(err: unknown): number | undefined {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/** True when a transaction that failed with `err` in `phase` certainly did not commit (see the module comment). */
export function isDefinite(err: unknown, phase: TxnPhase): boolean {
  const errno = errnoOf(err);
  if (errno === ER_LOCK_DEADLOCK || errno === ER_WSREP_NOT_READY) return true;
  return phase !== 'commit';
}

/**
 * Turns an error thrown in `phase` of a transaction into a completion:
 * `fail` when it certainly did not commit, `info` when it may have, with a
 * short reason as `error`. Never throws.
 */
export function completionForError(err: unknown, phase: TxnPhase): Completion {
  return { type: isDefinite(err, phase) ? 'fail' : 'info', error: describe(err, phase) };
}

function describe(err: unknown, phase: TxnPhase): string {
  const e = err as { errno?: unknown; code?: unknown; sqlMessage?: unknown; message?: unknown } | null;
  const message = typeof e?.sqlMessage === 'string' ? e.sqlMessage : err instanceof Error ? err.message : String(err);
  const code = typeof e?.code === 'string' && e.code !== 'UNKNOWN' ? `${e.code}: ` : '';
  return `${phase}: ${code}${message.split('\n')[0]}`;
}
