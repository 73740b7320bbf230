/**
 * The Redis target's options: test.targetOptions in the config, or a flag
 * each (--read-from, --wait-replicas, --min-replicas-to-write, ...), checked
 * up front so a typo fails the run before any node is touched.
 */
import { z } from 'zod';

const port = (what: string, fallback: number) =>
  z
    .number({ error: 'expected a port number (1-65535)' })
    .int({ error: 'expected a port number (1-65535)' })
    .min(1, { error: 'expected a port number (1-65535)' })
    .max(65_535, { error: 'expected a port number (1-65535)' })
    .default(fallback)
    .describe(`${what} port on each node`);

const count = (what: string, fallback: number) =>
  z
    .number({ error: 'expected a whole number, 0 or more' })
    .int({ error: 'expected a whole number, 0 or more' })
    .min(0, { error: 'expected a whole number, 0 or more' })
    .default(fallback)
    .describe(what);

const millis = (what: string, fallback: number) =>
  z
    .number({ error: 'expected a positive number of milliseconds' })
    .int({ error: 'expected a positive number of milliseconds' })
    .min(1, { error: 'expected a positive number of milliseconds' })
    .default(fallback)
    .describe(what);

export const redisOptionsSchema = z.strictObject({
  readFrom: z
    .enum(['primary', 'own', 'any'], { error: 'expected primary, own or any' })
    .default('primary')
    .describe(
      'primary: reads go to the primary the sentinels name, like writes; own: to the node the client was opened on ' +
        '(a replica, unless it is the primary); any: each read to a random node (the op records which)',
    ),
  waitReplicas: count(
    'after each write, WAIT until this many replicas have it (0: no WAIT); a write that reaches fewer in time is indeterminate',
    0,
  ),
  waitTimeoutMs: millis('how long a WAIT after a write waits for the replicas', 1_000),
  minReplicasToWrite: count(
    "the primary's min-replicas-to-write: it refuses writes unless this many replicas lag at most min-replicas-max-lag",
    0,
  ),
  minReplicasMaxLag: count("the primary's min-replicas-max-lag (seconds)", 10),
  downAfterMs: millis(
    'sentinel down-after-milliseconds: how long a node may not answer before it is thought down',
    3_000,
  ),
  failoverTimeoutMs: millis('sentinel failover-timeout', 10_000),
  appendOnly: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .describe('appendonly yes (appendfsync everysec) on every node; default no persistence at all'),
  redisPort: port('Redis', 6379),
  sentinelPort: port('Sentinel', 26379),
});

export type RedisOptions = z.output<typeof redisOptionsSchema>;
