/**
 * One ZooKeeper session for a client: node-zookeeper-client connected to
 * one server only (the client's node), its callbacks as promises, and a
 * definite NotSentError when the session is not connected when an op begins.
 * Replies the library cannot parse lose the connection instead of crashing
 * the run (socket-guard.ts).
 */
import zookeeper, { type Client, type Stat } from 'node-zookeeper-client';
import { NotSentError, TimedOutError } from './errors.js';
import { guardSocketData } from './socket-guard.js';
import { sync } from './sync.js';

/** How long an op waits for the session to (re)connect before giving up without sending anything. */
export const READY_WAIT_MS = 500;
/** Wait between connection attempts. */
const SPIN_DELAY_MS = 200;

export class ZkSession {
  private readonly client: Client;
  private closed = false;

  /** Starts connecting to address:port; a session timeout in ms. */
  constructor(address: string, port: number, sessionTimeoutMs: number) {
    this.client = zookeeper.createClient(`${address}:${port}`, {
      sessionTimeout: sessionTimeoutMs,
      spinDelay: SPIN_DELAY_MS,
      // Never resend a request after a connection loss: it may have been applied.
      retries: 0,
    });
    this.client.on('error', () => {});
    guardSocketData(this.client);
    this.client.connect();
  }

  get expired(): boolean {
    return this.client.getState() === zookeeper.State.EXPIRED;
  }

  close(): void {
    this.closed = true;
    this.client.close();
  }

  /**
   * Resolves once the session is connected. Throws NotSentError when it is
   * expired, closed, or not connected within READY_WAIT_MS (or the signal fires).
   */
  async whenConnected(signal: AbortSignal): Promise<void> {
    const state = this.client.getState();
    if (state === zookeeper.State.SYNC_CONNECTED) return;
    if (this.closed || state === zookeeper.State.EXPIRED) throw new NotSentError(`session ${state.name.toLowerCase()}`);
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.client.removeListener('connected', onConnected);
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const onConnected = () => done();
      const onAbort = () => done(new NotSentError('not connected (timed out waiting)'));
      const timer = setTimeout(
        () => done(new NotSentError(`not connected (${this.client.getState().name.toLowerCase()})`)),
        READY_WAIT_MS,
      );
      this.client.once('connected', onConnected);
      signal.addEventListener('abort', onAbort);
      if (signal.aborted) onAbort();
    });
  }

  /** The data and version of a znode, or undefined when it does not exist. */
  getData(path: string, signal: AbortSignal): Promise<{ data: Buffer; version: number } | undefined> {
    return this.call(signal, (done) =>
      this.client.getData(path, (err, data, stat) => {
        if (err && (err as { code?: number }).code === zookeeper.Exception.NO_NODE) done(null, undefined);
        else done(err, err ? undefined : { data, version: stat.version });
      }),
    );
  }

  /** setData with a version (-1: any). Resolves with the new stat. */
  setData(path: string, data: Buffer, version: number, signal: AbortSignal): Promise<Stat> {
    return this.call(signal, (done) => this.client.setData(path, data, version, done));
  }

  /** Creates a persistent znode. */
  create(path: string, data: Buffer, signal: AbortSignal): Promise<string> {
    return this.call(signal, (done) => this.client.create(path, data, zookeeper.CreateMode.PERSISTENT, done));
  }

  /** Removes a znode at a version (-1: any). */
  remove(path: string, version: number, signal: AbortSignal): Promise<void> {
    return this.call(signal, (done) => this.client.remove(path, version, (err) => done(err, undefined)));
  }

  /** Lets the server catch up with the leader before the next read (see sync.ts). */
  sync(path: string, signal: AbortSignal): Promise<void> {
    return abortable(sync(this.client, path), signal);
  }

  private call<T>(signal: AbortSignal, start: (done: (err: unknown, value: T) => void) => void): Promise<T> {
    const answer = new Promise<T>((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
    return abortable(answer, signal);
  }
}

/** `promise`, or a TimedOutError when the signal fires first (the request may still be applied). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {});
  if (signal.aborted) return Promise.reject(new TimedOutError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TimedOutError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
