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
 *
 * On a hot standby (read-only transactions with --read-from replica)
 * PostgreSQL refuses SERIALIZABLE ("cannot use serializable mode in a hot
 * standby", hint: use REPEATABLE READ): such a transaction runs at
 * REPEATABLE READ, READ ONLY, and reads a snapshot of what the replica has
 * replayed, a prefix of the primary's commits that may lag behind. A history
 * with those reads is then promised only snapshot isolation (a read-only
 * transaction's snapshot need not fit SSI's serial order: Fekete's read-only
 * anomaly, G2, which the primary avoids by its SIREAD locks), and never
 * real-time order: a stale read is allowed, and it is
 * --consistency-models strict-serializable that finds it.
 */
import type { IsolationLevel } from './options.js';

const LEVELS: Record<IsolationLevel, { sql: string; models: string[] }> = {
  serializable: { sql: 'SERIALIZABLE', models: ['serializable'] },
  'repeatable-read': { sql: 'REPEATABLE READ', models: ['snapshot-isolation'] },
  'read-committed': { sql: 'READ COMMITTED', models: ['read-committed'] },
};

/** The level a read-only transaction on a hot standby runs at, when `level` is asked for. */
export function standbyLevel(level: IsolationLevel): IsolationLevel {
  return level === 'serializable' ? 'repeatable-read' : level;
}

/** The models PostgreSQL promises at `level`; `readsOnStandby`: read-only transactions run on hot standbys. */
export function promisedModels(level: IsolationLevel, readsOnStandby = false): string[] {
  return [...LEVELS[readsOnStandby ? standbyLevel(level) : level].models];
}

/** The statement that opens a transaction at `level` (on a hot standby: at standbyLevel, READ ONLY). */
export function beginStatement(level: IsolationLevel, standby = false): string {
  return standby
    ? `BEGIN ISOLATION LEVEL ${LEVELS[standbyLevel(level)].sql} READ ONLY`
    : `BEGIN ISOLATION LEVEL ${LEVELS[level].sql}`;
}
