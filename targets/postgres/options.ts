/**
 * The PostgreSQL target's options: test.targetOptions in the config, or a
 * flag each (--isolation, --port, --replicas, --read-from, --replica-port),
 * checked up front so a typo fails the run before any node is touched. The
 * replica count is also judged against the node count (replicasProblem,
 * through the target's NodeCountLimits) before any node exists.
 */
import { z } from 'zod';

export const ISOLATION_LEVELS = ['read-committed', 'repeatable-read', 'serializable'] as const;

const port = (what: string, fallback: number) =>
  z
    .number({ error: 'expected a port number (1-65535)' })
    .int({ error: 'expected a port number (1-65535)' })
    .min(1, { error: 'expected a port number (1-65535)' })
    .max(65_535, { error: 'expected a port number (1-65535)' })
    .default(fallback)
    .describe(what);

export const postgresOptionsSchema = z
  .strictObject({
    isolation: z
      .enum(ISOLATION_LEVELS, { error: 'expected read-committed, repeatable-read or serializable' })
      .default('serializable')
      .describe(
        'isolation level of every transaction; the models checked follow from it unless --consistency-models is given ' +
          '(serializable: serializable; repeatable-read, snapshot isolation in PostgreSQL: snapshot-isolation; ' +
          'read-committed: read-committed)',
      ),
    port: port("port of the primary, and of each other node's forwarder to it", 5432),
    replicas: z
      .number({ error: 'expected a whole number of replicas, 0 or more' })
      .int({ error: 'expected a whole number of replicas, 0 or more' })
      .min(0, { error: 'expected a whole number of replicas, 0 or more' })
      .default(0)
      .describe(
        'how many of the other nodes (n2, n3, ...) also run a streaming replica (a hot standby, asynchronous), ' +
          'at most the node count - 1; their forwarder to the primary stays (writes)',
      ),
    readFrom: z
      .enum(['primary', 'replica'], { error: 'expected primary or replica' })
      .default('primary')
      .describe(
        'primary: every transaction goes to the primary; replica: read-only transactions go to a replica (the ' +
          "client's own node when it runs one, else one picked by node), at repeatable read when --isolation is " +
          'serializable (a hot standby has no serializable), so they may be stale; needs --replicas 1 or more',
      ),
    replicaPort: port('port each streaming replica listens on (beside the forwarder on --port)', 5433),
  })
  .superRefine((options, ctx) => {
    if (options.readFrom === 'replica' && options.replicas === 0) {
      ctx.addIssue({ code: 'custom', path: ['readFrom'], message: 'replica needs --replicas 1 or more' });
    }
    if (options.replicas > 0 && options.replicaPort === options.port) {
      ctx.addIssue({
        code: 'custom',
        path: ['replicaPort'],
        message: `expected a port other than --port (${options.port}): a replica node listens on both`,
      });
    }
  });

export type PostgresOptions = z.output<typeof postgresOptionsSchema>;
export type IsolationLevel = PostgresOptions['isolation'];
export type ReadFrom = PostgresOptions['readFrom'];

/**
 * Why `replicas` does not fit a cluster of `nodeCount` nodes (the first node
 * is the primary, so at most nodeCount - 1 replicas), or undefined when it does.
 */
export function replicasProblem(options: PostgresOptions, nodeCount: number): string | undefined {
  const most = Math.max(nodeCount - 1, 0);
  if (options.replicas <= most) return undefined;
  return (
    `expected 0 to ${most} replicas (the first of the ${nodeCount} nodes is the primary), ` + `got ${options.replicas}`
  );
}
