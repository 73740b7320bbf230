/**
 * The register and cas-register clients (and the session workload's, which
 * has the same ops): one znode per independent key under /faultline/register,
 * holding the register's value as JSON text; a register holding null has no
 * znode. Each client is one ZooKeeper session on the server of its own node
 * (connected to no other), so every op is served by that node.
 *
 * - read: value ignored; with the sync option first sync(path); then
 *   getData: ok with the value (null when there is no znode).
 * - write: value v; setData(any version), or create when there is no znode
 *   (setData again if another client created it meanwhile); null removes it.
 * - cas (cas-register only): value [old, new]; getData, compare with old,
 *   then setData at the version read (create for old null, remove for new
 *   null): ok when the register held old and now holds new; fail ("compare
 *   failed") when it did not hold old, or changed between the two steps
 *   (BAD_VERSION, NODE_EXISTS, NO_NODE: the write was refused, not applied).
 *
 * A session that expired is replaced by a new one before the next op (that
 * op fails, unsent). Errors become fail or info in errors.ts, nowhere else.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { Client, ClientOp, Completion } from '../../../workloads/client.js';
import { completionForError, NotSentError, zkCode } from '../errors.js';
import type { ZookeeperOptions } from '../options.js';
import { ZkSession } from '../session.js';

/** The parent of every register's znode (created when the cluster is first ready). */
export const REGISTER_ROOT = '/faultline/register';

/** Wait after an op that was never sent, so a worker whose server is down does not spin. */
export const NOT_SENT_BACKOFF_MS = 100;

const NO_NODE = -101;
const NODE_EXISTS = -110;
const BAD_VERSION = -103;

/** The znode of an independent key, e.g. /faultline/register/3. */
export function pathFor(key: Json | undefined): string {
  return `${REGISTER_ROOT}/${encodeURIComponent(JSON.stringify(key ?? null))}`;
}

export class ZookeeperRegisterClient implements Client {
  private session: ZkSession | undefined;
  private node: NodeInfo | undefined;

  constructor(
    private readonly workload: 'register' | 'cas-register' | 'session',
    private readonly options: ZookeeperOptions,
  ) {}

  /** Starts a session on the node's server; resolves at once (ops wait briefly for it to connect). */
  async open(node: NodeInfo): Promise<void> {
    await this.close();
    this.node = node;
    this.session = this.newSession(node);
  }

  async close(): Promise<void> {
    this.session?.close();
    this.session = undefined;
  }

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const path = pathFor(op.key);
    try {
      const session = await this.connected(signal);
      switch (op.f) {
        case 'read':
          return { type: 'ok', value: await this.read(session, path, signal) };
        case 'write':
          await this.write(session, path, op.value ?? null, signal);
          return { type: 'ok', value: op.value ?? null };
        case 'cas': {
          if (this.workload !== 'cas-register') return unknownOp(this.workload, op.f);
          if (!Array.isArray(op.value) || op.value.length !== 2) {
            return { type: 'fail', error: `a cas value must be [old, new], got ${JSON.stringify(op.value)}` };
          }
          const [from, to] = op.value as [Json, Json];
          const done = await this.cas(session, path, from, to, signal);
          return done ? { type: 'ok', value: op.value } : { type: 'fail', value: op.value, error: 'compare failed' };
        }
        default:
          return unknownOp(this.workload, op.f);
      }
    } catch (err) {
      if (err instanceof NotSentError && !signal.aborted) {
        await sleep(NOT_SENT_BACKOFF_MS, undefined, { signal }).catch(() => {});
      }
      return completionForError(err, op.f);
    }
  }

  /** The session, connected; an expired one is replaced first (and this op is not sent). */
  private async connected(signal: AbortSignal): Promise<ZkSession> {
    if (!this.session || !this.node) throw new Error('ZooKeeper client used before open()');
    if (this.session.expired) {
      this.session.close();
      this.session = this.newSession(this.node);
      throw new NotSentError('the session had expired; a new one is starting');
    }
    await this.session.whenConnected(signal);
    return this.session;
  }

  private newSession(node: NodeInfo): ZkSession {
    return new ZkSession(node.address, this.options.zkClientPort, this.options.sessionTimeoutMs);
  }

  private async read(session: ZkSession, path: string, signal: AbortSignal): Promise<Json> {
    if (this.options.sync) await session.sync(path, signal);
    const stored = await session.getData(path, signal);
    return stored === undefined ? null : parse(stored.data, path);
  }

  private async write(session: ZkSession, path: string, value: Json, signal: AbortSignal): Promise<void> {
    if (value === null) {
      await ignoring(NO_NODE, session.remove(path, -1, signal));
      return;
    }
    const data = Buffer.from(JSON.stringify(value));
    try {
      await session.setData(path, data, -1, signal);
    } catch (err) {
      if (zkCode(err) !== NO_NODE) throw err;
      try {
        await session.create(path, data, signal);
      } catch (again) {
        if (zkCode(again) !== NODE_EXISTS) throw again;
        await session.setData(path, data, -1, signal);
      }
    }
  }

  /** True when it set the register from `from` to `to`; false when the register did not hold `from`. */
  private async cas(session: ZkSession, path: string, from: Json, to: Json, signal: AbortSignal): Promise<boolean> {
    let stored: { data: Buffer; version: number } | undefined;
    try {
      stored = await session.getData(path, signal);
    } catch (err) {
      throw new NotSentError(`reading before the cas failed: ${describeError(err)}`, { cause: err });
    }
    const current = stored === undefined ? null : parse(stored.data, path);
    if (JSON.stringify(current) !== JSON.stringify(from)) return false;
    const refused = [BAD_VERSION, NODE_EXISTS, NO_NODE];
    try {
      if (stored === undefined) await session.create(path, Buffer.from(JSON.stringify(to)), signal);
      else if (to === null) await session.remove(path, stored.version, signal);
      else await session.setData(path, Buffer.from(JSON.stringify(to)), stored.version, signal);
      return true;
    } catch (err) {
      const code = zkCode(err);
      if (code !== undefined && refused.includes(code)) return false;
      throw err;
    }
  }
}

async function ignoring(code: number, promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (err) {
    if (zkCode(err) !== code) throw err;
  }
}

function parse(data: Buffer | null | undefined, path: string): Json {
  const text = data?.toString('utf8') ?? '';
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new NotSentError(`znode ${path} holds ${JSON.stringify(text.slice(0, 100))}, not JSON`, { cause: err });
  }
}

function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A completion for an op this client does not know: definite, nothing was sent. */
function unknownOp(workload: string, f: string): Completion {
  return { type: 'fail', error: `the ZooKeeper ${workload} client has no operation ${JSON.stringify(f)}` };
}
