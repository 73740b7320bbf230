/**
 * The Galera target's options: test.targetOptions in the config, or a flag
 * each (--isolation, --snapshot-isolation, --sync-wait, --sql-port), checked up front so a typo fails the run
 * before any node is touched.
 */
import { z } from 'zod';

export const ISOLATION_LEVELS = ['repeatable-read', 'serializable', 'read-committed'] as const;
export type Isolation = (typeof ISOLATION_LEVELS)[number];

export const galeraOptionsSchema = z.strictObject({
  isolation: z
    .enum(ISOLATION_LEVELS, { error: 'expected repeatable-read, serializable or read-committed' })
    .default('repeatable-read')
    .describe(
      "the transaction isolation level every client session sets (MariaDB's default is repeatable-read); " +
        'the transactional checkers hold the history to the model of the same name',
    ),
  snapshotIsolation: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .describe(
      'innodb_snapshot_isolation: a repeatable-read transaction that writes a row changed since its snapshot ' +
        "fails (first committer wins) instead of overwriting it; MariaDB 10.11's default is off",
    ),
  syncWait: z
    .number({ error: 'expected a whole number 0-15' })
    .int({ error: 'expected a whole number 0-15' })
    .min(0, { error: 'expected a whole number 0-15' })
    .max(15, { error: 'expected a whole number 0-15' })
    .default(0)
    .describe(
      'wsrep_sync_wait: 1 makes reads wait until the node has applied everything the cluster committed ' +
        'before they began (causal reads across nodes); 0 (the default) reads what the node has applied',
    ),
  sqlPort: z
    .number({ error: 'expected a port number (1-65535)' })
    .int({ error: 'expected a port number (1-65535)' })
    .min(1, { error: 'expected a port number (1-65535)' })
    .max(65_535, { error: 'expected a port number (1-65535)' })
    .default(3306)
    .describe('MariaDB client port on each node'),
});

export type GaleraOptions = z.output<typeof galeraOptionsSchema>;

/** The SQL spelling of an isolation level, for SET SESSION TRANSACTION ISOLATION LEVEL. */
export function isolationSql(isolation: Isolation): string {
  return isolation.replace('-', ' ').toUpperCase();
}

/**
 * The consistency models a history is held to by default: the model named
 * like the isolation level, or snapshot-isolation for repeatable-read with
 * snapshotIsolation on (what innodb_snapshot_isolation is for; Galera's
 * first-committer-wins certification between nodes documents the same
 * across the cluster). A config's test.workloadOptions.consistencyModels
 * overrides this.
 */
export function consistencyModelsFor(options: Pick<GaleraOptions, 'isolation' | 'snapshotIsolation'>): string[] {
  if (options.isolation === 'repeatable-read' && options.snapshotIsolation) return ['snapshot-isolation'];
  return [options.isolation];
}
