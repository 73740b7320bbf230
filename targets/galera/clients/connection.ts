/**
 * What every Galera client shares: one MariaDB connection (the official
 * `mariadb` connector) to the node the client was opened on, the session's
 * isolation level, and running one transaction with each failure judged by
 * the phase it happened in (../errors.ts decides fail or info).
 *
 * The connection is made by the first transaction, not by open, so a
 * refused connection is a failed op (phase connect) rather than a client
 * that never opened; after a failure that may have broken it, it is
 * dropped and the next transaction connects again.
 *
 * A transaction cut short (its signal aborts) destroys the connection's
 * socket with an error, which fails the pending statement. Not the connector's destroy(): with a
 * statement pending it opens a second connection to KILL it, and when the
 * node refuses that KILL (a node outside the primary component answers
 * "WSREP has not yet prepared node for application use") the connector
 * leaves the rejection unhandled (mariadb 3.5, Connection.destroy). The
 * server rolls back a transaction whose connection is gone.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import * as mariadb from 'mariadb';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { Client, ClientOp, Completion } from '../../../workloads/client.js';
import { completionForError, type TxnPhase } from '../errors.js';
import { type GaleraOptions, isolationSql } from '../options.js';
import { DATABASE, PASSWORD, USER } from '../schema.js';

/**
 * After a connection could not be made, wait this long before reporting it,
 * so a worker whose node is down does not spin through failures. Failed ops
 * are dropped by the checkers, so the delay changes no verdict.
 */
const CONNECT_BACKOFF_MS = 100;
const CONNECT_TIMEOUT_MS = 3_000;

/** What a transaction body decides: commit and complete ok with `value`, or roll back and complete fail. */
export type TxnOutcome = { commit: true; value: unknown } | { commit: false; error: string };

export abstract class GaleraConnection implements Client {
  private node: NodeInfo | undefined;
  private conn: mariadb.Connection | undefined;
  /** The socket under `conn` (made by us: see the file comment). */
  private socket: net.Socket | undefined;

  constructor(protected readonly options: GaleraOptions) {}

  async open(node: NodeInfo): Promise<void> {
    this.node = node;
  }

  async close(): Promise<void> {
    this.drop();
  }

  abstract invoke(op: ClientOp, signal: AbortSignal): Promise<Completion>;

  /**
   * Runs `body` inside START TRANSACTION ... COMMIT on this client's
   * connection. Completes ok with the body's value when COMMIT succeeded;
   * fail when the body chose to roll back; otherwise what errors.ts decides
   * for the error and the phase it came in. When `signal` aborts, the
   * connection is destroyed, which ends the pending statement with an error.
   */
  protected async transaction(
    signal: AbortSignal,
    body: (conn: mariadb.Connection) => Promise<TxnOutcome>,
  ): Promise<Completion> {
    let phase: TxnPhase = 'connect';
    let conn: mariadb.Connection | undefined;
    const onAbort = () => this.socket?.destroy(new Error('the transaction timed out'));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      conn = await this.connection();
      if (signal.aborted) throw new Error('timed out');
      phase = 'statements';
      await conn.query('START TRANSACTION');
      const outcome = await body(conn);
      if (!outcome.commit) {
        await conn.query('ROLLBACK');
        return { type: 'fail', error: outcome.error };
      }
      phase = 'commit';
      await conn.query('COMMIT');
      return { type: 'ok', value: outcome.value };
    } catch (err) {
      await this.afterError(err, conn);
      if (phase === 'connect') await sleep(CONNECT_BACKOFF_MS);
      return completionForError(signal.aborted ? new Error('timed out', { cause: err }) : err, phase);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The open connection, or a new one with the session's isolation level set. */
  private async connection(): Promise<mariadb.Connection> {
    if (this.conn?.isValid()) return this.conn;
    this.drop();
    if (!this.node) throw new Error('the client was not opened');
    const { address } = this.node;
    let socket: net.Socket | undefined;
    const conn = await mariadb.createConnection({
      host: address,
      port: this.options.sqlPort,
      stream: () => {
        socket = net.connect(this.options.sqlPort, address);
        socket.setNoDelay(true);
        return socket;
      },
      user: USER,
      password: PASSWORD,
      database: DATABASE,
      connectTimeout: CONNECT_TIMEOUT_MS,
      bigIntAsNumber: true,
    });
    // A connection whose server dies while it is idle reports it as an 'error' event, which
    // would be an uncaught exception without a listener. The next transaction connects again.
    conn.on('error', () => {
      if (this.conn === conn) this.conn = undefined;
    });
    try {
      await conn.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${isolationSql(this.options.isolation)}`);
    } catch (err) {
      conn.destroy();
      throw err;
    }
    this.conn = conn;
    this.socket = socket;
    return conn;
  }

  /** Keeps the connection after an ordinary server error (rolled back); drops it when it may be broken. */
  private async afterError(err: unknown, conn: mariadb.Connection | undefined): Promise<void> {
    const fatal = (err as { fatal?: unknown } | null)?.fatal === true;
    if (!conn || fatal || !conn.isValid()) {
      this.drop();
      return;
    }
    try {
      await conn.query('ROLLBACK');
    } catch {
      this.drop();
    }
  }

  /**
   * Closes the connection by its socket, with an error: the connector fails
   * whatever is pending on an 'error' of the socket (a plain destroy emits
   * only 'close', which it does not listen to).
   */
  private drop(): void {
    if (this.socket) this.socket.destroy(new Error('connection dropped by the client'));
    else this.conn?.destroy();
    this.conn = undefined;
    this.socket = undefined;
  }
}

/** The completion for an op this client has no f for. */
export function unknownOp(workload: string, f: string): Completion {
  return { type: 'fail', error: `the ${workload} client has no op ${JSON.stringify(f)}` };
}
