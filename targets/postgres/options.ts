/**
 * The PostgreSQL target's options: test.targetOptions in the config, or a
 * flag each (--isolation, --port), checked up front so a typo fails the run
 * before any node is touched.
 */
import { z } from 'zod';

export const ISOLATION_LEVELS = ['read-committed', 'repeatable-read', 'serializable'] as const;

export const postgresOptionsSchema = z.strictObject({
  isolation: z
    .enum(ISOLATION_LEVELS, { error: 'expected read-committed, repeatable-read or serializable' })
    .default('serializable')
    .describe(
      'isolation level of every transaction; the models checked follow from it unless --consistency-models is given ' +
        '(serializable: serializable; repeatable-read, snapshot isolation in PostgreSQL: snapshot-isolation; ' +
        'read-committed: read-committed)',
    ),
  port: z
    .number({ error: 'expected a port number (1-65535)' })
    .int({ error: 'expected a port number (1-65535)' })
    .min(1, { error: 'expected a port number (1-65535)' })
    .max(65_535, { error: 'expected a port number (1-65535)' })
    .default(5432)
    .describe("port of the primary, and of each other node's forwarder to it"),
});

export type PostgresOptions = z.output<typeof postgresOptionsSchema>;
export type IsolationLevel = PostgresOptions['isolation'];
