/**
 * node-zookeeper-client 1.1.3 parses the server's replies inside the socket's
 * 'data' handler (ConnectionManager.onSocketData) and throws from there when
 * a reply does not parse: "Unknown code: 503578626", "offset ... is out of
 * buffer range" (its open issues #23, #39, #70: seen with servers that are
 * slow, restarting or offline). Thrown from an event handler, that is an
 * uncaught exception: it would end the whole faultline run. It happened here
 * on an ensemble of slow servers (three JVMs under libfaketime on a loaded
 * two-core host), in readiness probes.
 *
 * The guard wraps that handler on one client: when it throws, the partly
 * read buffer is dropped and the socket destroyed, which is what the library
 * itself does for the anomalies it does catch (an unexpected xid, an unknown
 * op): its close handler fails every request in flight with CONNECTION_LOSS
 * (info for a write, fail for a read: errors.ts) and reconnects. The request
 * whose reply did not parse was already taken off the in-flight queue when
 * the parser threw; it goes back at the front so that it fails with the
 * others instead of never completing. (Each call of the handler reads one
 * frame, the next through a call of its own, so the head of the queue before
 * the call is the only request it can have taken.) Like sync.ts
 * it uses the connection manager, not the documented API, and is pinned with
 * the library's version (package.json).
 */
import type { Client } from 'node-zookeeper-client';

interface Manager {
  onSocketData?: (buffer: Buffer) => void;
  pendingQueue?: unknown[];
  pendingBuffer?: Buffer | null;
  socket?: { destroy(): void } | null;
}

/**
 * Makes `client`'s reply parsing fail as a lost connection instead of
 * throwing. Call before connect(). Throws when the client has no connection
 * manager to guard (a library version this was not written for).
 */
export function guardSocketData(client: Client, onError: (err: unknown) => void = () => {}): void {
  const manager = (client as unknown as { connectionManager?: Manager }).connectionManager;
  const parse = manager?.onSocketData;
  if (!manager || typeof parse !== 'function') {
    throw new Error('node-zookeeper-client has no connectionManager.onSocketData: cannot guard its parsing');
  }
  manager.onSocketData = function guarded(this: Manager, buffer: Buffer) {
    const head = this.pendingQueue?.[0];
    try {
      parse.call(this, buffer);
    } catch (err) {
      if (head !== undefined && this.pendingQueue && !this.pendingQueue.includes(head)) this.pendingQueue.unshift(head);
      this.pendingBuffer = null;
      this.socket?.destroy();
      onError(err);
    }
  };
}
