/**
 * The ZooKeeper target's options: test.targetOptions in the config, or a
 * flag each (--sync, --tick-time-ms, ...), checked up front so a typo fails
 * the run before any node is touched.
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

export const zookeeperOptionsSchema = z.strictObject({
  sync: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .describe(
      "precede every read with sync (the server catches up with the leader first); without it a server answers from its own state, which may be stale (ZooKeeper's reads are only sequentially consistent)",
    ),
  tickTimeMs: z
    .number({ error: 'expected a whole number of milliseconds, at least 100' })
    .int({ error: 'expected a whole number of milliseconds, at least 100' })
    .min(100, { error: 'expected a whole number of milliseconds, at least 100' })
    .default(500)
    .describe(
      "ZooKeeper's tickTime: a follower that hears nothing from the leader for syncLimit (5) ticks drops out; sessions last 2 to 20 ticks",
    ),
  sessionTimeoutMs: z
    .number({ error: 'expected a whole number of milliseconds' })
    .int({ error: 'expected a whole number of milliseconds' })
    .min(1, { error: 'expected a whole number of milliseconds' })
    .default(5_000)
    .describe("the clients' session timeout (the server keeps it within 2 and 20 ticks)"),
  heapMb: z
    .number({ error: 'expected a whole number of megabytes, at least 32' })
    .int({ error: 'expected a whole number of megabytes, at least 32' })
    .min(32, { error: 'expected a whole number of megabytes, at least 32' })
    .default(192)
    .describe('the JVM heap of each server (-Xmx), in megabytes'),
  zkClientPort: port('ZooKeeper client', 2181),
  quorumPort: port('ZooKeeper quorum (follower to leader)', 2888),
  electionPort: port('ZooKeeper leader election', 3888),
});

export type ZookeeperOptions = z.output<typeof zookeeperOptionsSchema>;
