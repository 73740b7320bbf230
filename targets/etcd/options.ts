/**
 * The etcd target's options: test.targetOptions in the config, or a flag each
 * (--read-mode, --client-port, --peer-port), checked up front so a typo fails
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

export const etcdOptionsSchema = z.strictObject({
  readMode: z
    .enum(['linearizable', 'serializable'], { error: 'expected linearizable or serializable' })
    .default('linearizable')
    .describe(
      "linearizable: reads go through raft (etcd's default); serializable: any member answers from its own state, without quorum (may be stale)",
    ),
  readFrom: z
    .enum(['own', 'any'], { error: 'expected own or any' })
    .default('own')
    .describe(
      "own: a client reads from the node it was opened on; any: each read goes to a random node (the op records which): with serializable reads, where a session's staleness shows",
    ),
  clientPort: port('client', 2379),
  peerPort: port('peer (raft)', 2380),
});

export type EtcdOptions = z.output<typeof etcdOptionsSchema>;
export type ReadMode = EtcdOptions['readMode'];
