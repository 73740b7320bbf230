/**
 * The list-append and rw-register clients: each op is one transaction of
 * micro-ops [f, key, value] on integer keys, run in order.
 *
 * - list-append: table list_append(key int primary key, val int[]); an
 *   append is an upsert that concatenates (`val || ARRAY[v]`), so the first
 *   append to a key creates its row; a read returns the array ([] when the
 *   row does not exist).
 * - rw-register: table rw_register(key int primary key, val int); a write is
 *   an upsert of the value; a read returns it (null when never written).
 *
 * A transaction of reads only is read-only: with --read-from replica it runs
 * on a replica (PgConnection). Errors become fail or info in errors.ts
 * (through PgConnection.transaction).
 */
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import type { PostgresOptions } from '../options.js';
import { PgConnection, type Query, unknownOp } from './connection.js';

export const TXN_TABLES = [
  'CREATE TABLE IF NOT EXISTS list_append (key int PRIMARY KEY, val int[] NOT NULL)',
  'CREATE TABLE IF NOT EXISTS rw_register (key int PRIMARY KEY, val int)',
];

type MicroOp = [string, number, number | null];

interface Dialect {
  workload: string;
  write: string;
  /** The statement of a write of value $2 to key $1. */
  writeSql: string;
  /** The statement reading key $1 (one row with `val`, or none). */
  readSql: string;
  /** What a read of a key without a row returns. */
  absent: Json;
}

const DIALECTS: Record<'list-append' | 'rw-register', Dialect> = {
  'list-append': {
    workload: 'list-append',
    write: 'append',
    writeSql:
      'INSERT INTO list_append AS t (key, val) VALUES ($1, ARRAY[$2::int]) ' +
      'ON CONFLICT (key) DO UPDATE SET val = t.val || EXCLUDED.val',
    readSql: 'SELECT val FROM list_append WHERE key = $1',
    absent: [],
  },
  'rw-register': {
    workload: 'rw-register',
    write: 'w',
    writeSql: 'INSERT INTO rw_register (key, val) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET val = EXCLUDED.val',
    readSql: 'SELECT val FROM rw_register WHERE key = $1',
    absent: null,
  },
};

/** The micro-ops of a txn op, or undefined when they are not [f, int key, int value | null] triples. */
function microOps(value: unknown): MicroOp[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const ok = value.every(
    (m) =>
      Array.isArray(m) &&
      m.length === 3 &&
      typeof m[0] === 'string' &&
      Number.isInteger(m[1]) &&
      (m[2] === null || Number.isInteger(m[2])),
  );
  return ok ? (value as MicroOp[]) : undefined;
}

export class PgTxnClient extends PgConnection {
  private readonly dialect: Dialect;

  constructor(workload: 'list-append' | 'rw-register', options: PostgresOptions, nodes: readonly NodeInfo[]) {
    super(options, nodes);
    this.dialect = DIALECTS[workload];
  }

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const d = this.dialect;
    if (op.f !== 'txn') return unknownOp(d.workload, op);
    const mops = microOps(op.value);
    if (!mops) return { type: 'fail', error: 'expected [[f, integer key, integer value or null], ...]' };
    const bad = mops.find(([f]) => f !== 'r' && f !== d.write);
    if (bad) return { type: 'fail', error: `unknown micro-op ${JSON.stringify(bad[0])}` };
    const readOnly = mops.every(([f]) => f === 'r');
    return this.transaction(signal, readOnly, async (query: Query) => {
      const done: Json[] = [];
      for (const [f, key, value] of mops) {
        if (f === 'r') {
          const { rows } = await query(d.readSql, [key]);
          done.push([f, key, (rows[0]?.val as Json | undefined) ?? d.absent]);
        } else {
          await query(d.writeSql, [key, value]);
          done.push([f, key, value]);
        }
      }
      return { commit: true, value: done };
    });
  }
}
