/**
 * What each isolation level means: the SQL that asks for it, and the
 * consistency models PostgreSQL promises at it (what the transactional
 * checkers hold a history to unless the user names other models).
 *
 * - serializable: SSI, serializable (on one primary also in real-time order,
 *   but we claim only what the documentation promises).
 * - repeatable-read: PostgreSQL's is snapshot isolation (it allows write
 *   skew, G2-item, but no lost update: a concurrent update is a 40001).
 * - read-committed: each statement sees the data committed before it began.
 */
import type { IsolationLevel } from './options.js';

const LEVELS: Record<IsolationLevel, { sql: string; models: string[] }> = {
  serializable: { sql: 'SERIALIZABLE', models: ['serializable'] },
  'repeatable-read': { sql: 'REPEATABLE READ', models: ['snapshot-isolation'] },
  'read-committed': { sql: 'READ COMMITTED', models: ['read-committed'] },
};

/** The models PostgreSQL promises at `level`. */
export function promisedModels(level: IsolationLevel): string[] {
  return [...LEVELS[level].models];
}

/** The statement that opens a transaction at `level`. */
export function beginStatement(level: IsolationLevel): string {
  return `BEGIN ISOLATION LEVEL ${LEVELS[level].sql}`;
}
