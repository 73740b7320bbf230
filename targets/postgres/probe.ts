/**
 * One short-lived connection to a node's PostgreSQL port (the server, or the
 * node's forwarder to it) that runs statements and closes: for readiness,
 * the tables, and SELECT now() (the clock check).
 */
import pg from 'pg';
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import { PG_USER } from './server.js';

const PROBE_TIMEOUT_MS = 2_000;

/** Runs `statements` in order on `node`; resolves with the last one's rows. Throws on any error. */
export async function probe(node: NodeInfo, port: number, statements: string[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({
    host: node.address,
    port,
    user: PG_USER,
    database: 'postgres',
    application_name: 'faultline-probe',
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    let rows: Record<string, unknown>[] = [];
    for (const statement of statements) rows = (await client.query(statement)).rows;
    return rows;
  } finally {
    client.connection.stream.destroy();
  }
}
