/**
 * The etcd target's options (from `--read-mode` and the config file), checked
 * up front so a typo fails the run before any node is touched.
 */

import { UserError } from '../../harness/errors.js';
import type { Json } from '../../harness/history/op.js';

export type ReadMode = 'linearizable' | 'serializable';

export interface EtcdOptions {
  /**
   * linearizable (default): reads go through raft's read index, as etcd does by default.
   * serializable: any member answers from its local state, without quorum (may be stale).
   */
  readMode: ReadMode;
  /** Client port on each node (default 2379). */
  clientPort: number;
  /** Peer (raft) port on each node (default 2380). */
  peerPort: number;
}

/**
 * Reads the etcd options from the target options.
 * Returns the options with defaults filled in; throws UserError naming the
 * option when one has a value etcd does not support. Unknown keys are ignored
 * (they may belong to other parts of the run).
 */
export function etcdOptions(options: Record<string, Json>): EtcdOptions {
  const readMode = options.readMode ?? 'linearizable';
  if (readMode !== 'linearizable' && readMode !== 'serializable') {
    throw new UserError(`must be linearizable or serializable, got ${JSON.stringify(readMode)}`, {
      where: '--read-mode',
    });
  }
  return {
    readMode,
    clientPort: port(options.clientPort, 2379, 'clientPort'),
    peerPort: port(options.peerPort, 2380, 'peerPort'),
  };
}

function port(value: Json | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new UserError(`must be a port number (1-65535), got ${JSON.stringify(value)}`, {
      where: `target option ${name}`,
    });
  }
  return value;
}
