/**
 * ZooKeeper's `sync` for node-zookeeper-client, which has every other call
 * but not this one (its jute specification has no SyncRequest, and a reply
 * to an op it does not know makes it drop the connection).
 *
 * The request is written by hand: RequestHeader {xid, type 9 (SYNC)} and the
 * path as a jute ustring. The client reads a reply by the type in the
 * request's header object, so that object says DELETE (a reply with a header
 * and nothing after it, which it parses without a payload); the rest of the
 * reply (the path SyncResponse echoes) lies inside the reply's frame and is
 * skipped with it. The xid is the client's own: it fills the header's xid in
 * before it calls toBuffer, and matches the reply by it.
 *
 * This uses the client's connection manager (`client.connectionManager.queue`),
 * not its documented API: it is pinned to node-zookeeper-client 1.1.3
 * (package.json), and targets/zookeeper/cluster.test.ts checks on a real
 * ensemble that a sync completes and that a read after it sees a write.
 */
import { createRequire } from 'node:module';
import type { Client } from 'node-zookeeper-client';

const require = createRequire(import.meta.url);

interface JuteRecord {
  xid: number;
  type: number;
}
const jute = require('node-zookeeper-client/lib/jute/index.js') as {
  OP_CODES: Record<string, number>;
  protocol: { RequestHeader: new () => JuteRecord };
};

type Queue = (request: unknown, callback: (error: unknown) => void) => void;

/** ZooKeeper's opcode of sync. */
const SYNC = 9;

/** The bytes of a sync request: its length, the header (xid, type SYNC) and the path. */
export function syncRequestBytes(xid: number, path: string): Buffer {
  const name = Buffer.from(path, 'utf8');
  const body = 4 + 4 + 4 + name.length;
  const buffer = Buffer.alloc(4 + body);
  buffer.writeInt32BE(body, 0);
  buffer.writeInt32BE(xid, 4);
  buffer.writeInt32BE(SYNC, 8);
  buffer.writeInt32BE(name.length, 12);
  name.copy(buffer, 16);
  return buffer;
}

/**
 * Sends sync(path) on the client's session; resolves when the server it is
 * connected to has caught up with the leader as of the sync. Rejects with
 * the client's Exception (CONNECTION_LOSS, SESSION_EXPIRED, ...) otherwise.
 */
export function sync(client: Client, path: string): Promise<void> {
  const manager = (client as unknown as { connectionManager?: { queue?: Queue } }).connectionManager;
  if (typeof manager?.queue !== 'function') {
    return Promise.reject(new Error('node-zookeeper-client has no connectionManager.queue: sync is not possible'));
  }
  const header = new jute.protocol.RequestHeader();
  header.type = jute.OP_CODES.DELETE!;
  const request = { header, payload: null, toBuffer: () => syncRequestBytes(header.xid, path) };
  return new Promise((resolve, reject) => {
    manager.queue!.call(manager, request, (error) => (error ? reject(error) : resolve()));
  });
}
