/**
 * What the PostgreSQL clients share: a connection per endpoint a client
 * sends transactions to (topology.ts routeFor: the node it was opened on,
 * the primary or a node's forwarder to it; and with --read-from replica a
 * replica for read-only transactions), each made on first use and again
 * after it broke, and a transaction runner that records how far each
 * transaction got, so errors.ts can decide fail or info. A read-only
 * transaction served by a replica other than the client's node names it in
 * its completion (`node`).
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
import { type Endpoint, routeFor } from '../topology.js';

/** How long making a connection may take before the op fails (nothing was sent yet). */
const CONNECT_TIMEOUT_MS = 2_000;
/** How long a client waits after a failed connection before it reports the failure. */
const CONNECT_BACKOFF_MS = 100;

export type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** What a transaction body decides: commit with the op's value, or roll back (a definite fail). */
export type TxnOutcome = { commit: true; value: unknown } | { commit: false; reason: string };

/** An endpoint's key in the connection map. */
const keyOf = (e: Endpoint) => `${e.address}:${e.port}`;

export class PgConnection {
  private node: NodeInfo | undefined;
  /** Open connections by endpoint (keyOf). */
  private readonly clients = new Map<string, pg.Client>();

  /** `nodes`: every node of the cluster (where the replicas are). */
  constructor(
    protected readonly options: PostgresOptions,
    private readonly nodes: readonly NodeInfo[],
  ) {}

  async open(node: NodeInfo): Promise<void> {
    this.node = node;
  }

  async close(): Promise<void> {
    for (const key of [...this.clients.keys()]) this.destroy(key);
  }

  /** Runs after a fresh connection to the primary (or a forwarder) is made, e.g. to create rows (bank); in the connect stage. */
  protected async onConnect(_query: Query): Promise<void> {}

  /** Whether a transaction of this client is sent to a hot standby (a read-only one, with --read-from replica). */
  protected onStandby(readOnly: boolean): boolean {
    return this.node !== undefined && routeFor(this.nodes, this.options, this.node, readOnly).standby;
  }

  /**
   * Runs `body` in a transaction at the target's isolation level (on a hot
   * standby: isolation.ts standbyLevel, READ ONLY) and commits it, where
   * routeFor sends it. `readOnly`: the body writes nothing. Resolves with ok
   * and the body's value, or with the completion errors.ts decides; never
   * throws.
   */
  protected async transaction(
    signal: AbortSignal,
    readOnly: boolean,
    body: (query: Query) => Promise<TxnOutcome>,
  ): Promise<Completion> {
    if (!this.node) return { type: 'fail', error: 'postgres client used before open' };
    const endpoint = routeFor(this.nodes, this.options, this.node, readOnly);
    const key = keyOf(endpoint);
    // The node that served it, when that is not the client's own (a replica elsewhere).
    const servedBy = endpoint.standby && endpoint.servedBy !== this.node.name ? { node: endpoint.servedBy } : {};
    let stage: TxnStage = 'connect';
    const onAbort = () => this.destroy(key);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted) throw new Error('timed out before it started');
      const client = await this.connected(endpoint);
      const query: Query = (text, values) => client.query(text, values);
      stage = 'body';
      await query(beginStatement(this.options.isolation, endpoint.standby));
      const outcome = await body(query);
      if (!outcome.commit) {
        await query('ROLLBACK');
        return { type: 'fail', error: outcome.reason, ...servedBy };
      }
      stage = 'commit';
      await query('COMMIT');
      return { type: 'ok', value: outcome.value, ...servedBy };
    } catch (error) {
      await this.afterError(key, error);
      // A client facing a down primary would otherwise try again at once, thousands of times a second.
      if (stage === 'connect') await sleep(CONNECT_BACKOFF_MS, undefined, { signal }).catch(() => {});
      return { ...completionForFailure({ error, stage, readOnly, timedOut: signal.aborted }), ...servedBy };
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The open connection to `endpoint`, or a new one (with onConnect run on it, unless it is a standby). */
  private async connected(endpoint: Endpoint): Promise<pg.Client> {
    const key = keyOf(endpoint);
    const open = this.clients.get(key);
    if (open) return open;
    const client = new pg.Client({
      host: endpoint.address,
      port: endpoint.port,
      user: PG_USER,
      database: 'postgres',
      application_name: 'faultline',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
    });
    // A connection that breaks while idle emits 'error'; the next op finds it gone and reconnects.
    const forget = () => {
      if (this.clients.get(key) === client) this.clients.delete(key);
    };
    client.on('error', forget);
    client.on('end', forget);
    this.clients.set(key, client);
    try {
      await client.connect();
      if (!endpoint.standby) await this.onConnect((text, values) => client.query(text, values));
    } catch (err) {
      this.destroy(key);
      throw err;
    }
    return client;
  }

  /**
   * After an error the session is either in an aborted transaction (a server
   * ERROR: roll it back and keep the connection) or unusable (drop it).
   */
  private async afterError(key: string, error: unknown): Promise<void> {
    const client = this.clients.get(key);
    if (!client) return;
    if (error instanceof pg.DatabaseError && error.severity === 'ERROR') {
      try {
        await client.query('ROLLBACK');
        return;
      } catch {
        // fall through: the connection is not usable
      }
    }
    this.destroy(key);
  }

  /** Drops the endpoint's connection at once (no goodbye: the peer may be partitioned away). */
  private destroy(key: string): void {
    const client = this.clients.get(key);
    this.clients.delete(key);
    client?.connection.stream.destroy();
  }
}

/** The completion for an op this client does not know. */
export function unknownOp(workload: string, op: ClientOp): Completion {
  return { type: 'fail', error: `the postgres ${workload} client has no op ${JSON.stringify(op.f)}` };
}
