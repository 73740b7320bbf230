/**
 * The guard against node-zookeeper-client's throwing parser, against a fake
 * server on loopback: it accepts a session, then answers the first request
 * with a reply whose error code is garbage (as a misread frame gives).
 */
import net from 'node:net';
import zookeeper from 'node-zookeeper-client';
import { afterEach, describe, expect, it } from 'vitest';
import { guardSocketData } from './socket-guard.js';

const GARBAGE_CODE = 503_578_626;

/** A ConnectResponse frame: protocol 0, the timeout, a session id, a 16-byte password. */
function connectResponse(): Buffer {
  const body = Buffer.alloc(4 + 4 + 8 + 4 + 16);
  body.writeInt32BE(0, 0);
  body.writeInt32BE(4_000, 4);
  body.writeBigInt64BE(0x1234n, 8);
  body.writeInt32BE(16, 16);
  return frame(body);
}
/** A ReplyHeader frame for `xid` with error code `err`. */
function reply(xid: number, err: number): Buffer {
  const body = Buffer.alloc(4 + 8 + 4);
  body.writeInt32BE(xid, 0);
  body.writeBigInt64BE(1n, 4);
  body.writeInt32BE(err, 12);
  return frame(body);
}
function frame(body: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length, 0);
  return Buffer.concat([length, body]);
}

/** Serves sessions; every request (by its xid, after the 4-byte length) gets a reply with a garbage code. */
function fakeServer(): Promise<{ server: net.Server; port: number; connections: () => number }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let first = true;
    socket.on('data', (data: Buffer) => {
      if (first) {
        first = false;
        socket.write(connectResponse());
        return;
      }
      const xid = data.readInt32BE(4);
      if (xid >= 0) socket.write(reply(xid, GARBAGE_CODE));
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as net.AddressInfo).port, connections: () => connections }),
    ),
  );
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe("the guard on node-zookeeper-client's reply parsing", () => {
  it('turns an unparsable reply into a lost connection (the request fails, the client reconnects)', async () => {
    const { server, port, connections } = await fakeServer();
    closers.push(() => server.close());
    const client = zookeeper.createClient(`127.0.0.1:${port}`, { sessionTimeout: 4_000, spinDelay: 50, retries: 0 });
    closers.push(() => client.close());
    const caught: unknown[] = [];
    guardSocketData(client, (err) => caught.push(err));
    client.connect();
    await new Promise<void>((resolve) => client.once('connected', () => resolve()));
    const code = await new Promise<number | undefined>((resolve) =>
      client.getData('/x', (err) => resolve((err as { code?: number } | null)?.code)),
    );
    expect(code).toBe(zookeeper.Exception.CONNECTION_LOSS);
    expect(String(caught[0])).toContain(`Unknown code: ${GARBAGE_CODE}`);
    await expect.poll(connections, { timeout: 5_000 }).toBeGreaterThan(1);
  }, 10_000);

  it('refuses a client without the connection manager it was written for', () => {
    expect(() => guardSocketData({} as zookeeper.Client)).toThrow(/no connectionManager.onSocketData/);
  });
});
