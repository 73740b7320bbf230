/**
 * What the PostgreSQL clients share: one connection per client to the node
 * it was opened on (the primary, or a node's forwarder to it), made on the
 * first op and again after it broke, and a transaction runner that records
 * how far each transaction got, so errors.ts can decide fail or info.
 *
 * The op's timeout (the interpreter's signal) destroys the connection: the
 * pending query then settles, and a transaction cut off before COMMIT is
 * rolled back by the server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { completionForFailure, type TxnStage } from '../errors.js';
import { beginStatement } from '../isolation.js';
import type { PostgresOptions } from '../options.js';
import { PG_USER } from '../server.js';

/** How long making a connection may take before the op fails (nothing was sent yet). */
const CONNECT_TIMEOUT_MS = 2_000;
/** How long a client waits after a failed connection before it reports the failure. */
const CONNECT_BACKOFF_MS = 100;

export type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** What a transaction body decides: commit with the op's value, or roll back (a definite fail). */
export type TxnOutcome = { commit: true; value: unknown } | { commit: false; reason: string };

export class PgConnection {
  private node: NodeInfo | undefined;
  private client: pg.Client | undefined;

  constructor(protected readonly options: PostgresOptions) {}

  async open(node: NodeInfo): Promise<void> {
    this.node = node;
  }

  async close(): Promise<void> {
    this.destroy();
  }

  /** Runs after a fresh connection is made, e.g. to create rows (bank); in the connect stage. */
  protected async onConnect(_query: Query): Promise<void> {}

  /**
   * Runs `body` in a transaction at the target's isolation level and
   * commits it. `readOnly`: the body writes nothing. Resolves with ok and the
   * body's value, or with the completion errors.ts decides; never throws.
   */
  protected async transaction(
    signal: AbortSignal,
    readOnly: boolean,
    body: (query: Query) => Promise<TxnOutcome>,
  ): Promise<Completion> {
    let stage: TxnStage = 'connect';
    const onAbort = () => this.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted) throw new Error('timed out before it started');
      const client = await this.connected();
      const query: Query = (text, values) => client.query(text, values);
      stage = 'body';
      await query(beginStatement(this.options.isolation));
      const outcome = await body(query);
      if (!outcome.commit) {
        await query('ROLLBACK');
        return { type: 'fail', error: outcome.reason };
      }
      stage = 'commit';
      await query('COMMIT');
      return { type: 'ok', value: outcome.value };
    } catch (error) {
      await this.afterError(error);
      // A client facing a down primary would otherwise try again at once, thousands of times a second.
      if (stage === 'connect') await sleep(CONNECT_BACKOFF_MS, undefined, { signal }).catch(() => {});
      return completionForFailure({ error, stage, readOnly, timedOut: signal.aborted });
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The open connection, or a new one (with onConnect run on it). */
  private async connected(): Promise<pg.Client> {
    if (this.client) return this.client;
    if (!this.node) throw new Error('postgres client used before open');
    const client = new pg.Client({
      host: this.node.address,
      port: this.options.port,
      user: PG_USER,
      database: 'postgres',
      application_name: 'faultline',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // A connection that breaks while idle emits 'error'; the next op finds it gone and reconnects.
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
    });
    this.client = client;
    try {
      await client.connect();
      await this.onConnect((text, values) => client.query(text, values));
    } catch (err) {
      this.destroy();
      throw err;
    }
    return client;
  }

  /**
   * After an error the session is either in an aborted transaction (a server
   * ERROR: roll it back and keep the connection) or unusable (drop it).
   */
  private async afterError(error: unknown): Promise<void> {
    const client = this.client;
    if (!client) return;
    if (error instanceof pg.DatabaseError && error.severity === 'ERROR') {
      try {
        await client.query('ROLLBACK');
        return;
      } catch {
        // fall through: the connection is not usable
      }
    }
    this.destroy();
  }

  /** Drops the connection at once (no goodbye: the peer may be partitioned away). */
  private destroy(): void {
    const client = this.client;
    this.client = undefined;
    client?.connection.stream.destroy();
  }
}

/** The completion for an op this client does not know. */
export function unknownOp(workload: string, op: ClientOp): Completion {
  return { type: 'fail', error: `the postgres ${workload} client has no op ${JSON.stringify(op.f)}` };
}
