/**
 * The register and cas-register clients: one etcd key per independent key,
 * holding the register's value as JSON text. A register holding null is a
 * missing key: a read of a missing key returns null, a write of null deletes
 * the key, and cas [null, x] succeeds only when the key does not exist.
 *
 * - read: value ignored; ok with the value read.
 * - write: value v; ok with v.
 * - cas (cas-register only): value [old, new]; ok when the register held old
 *   and now holds new, fail ("compare failed") when it did not hold old.
 *
 * Errors become fail or info in errors.ts, nowhere else (via completionFor).
 */
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import type { EtcdOptions } from '../options.js';
import { EtcdConnection, keyFor, unknownOp } from './connection.js';

export class EtcdRegisterClient extends EtcdConnection {
  private readonly workload: 'register' | 'cas-register';

  constructor(workload: 'register' | 'cas-register', options: EtcdOptions, nodes: readonly NodeInfo[] = []) {
    super(options, nodes);
    this.workload = workload;
  }

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const key = keyFor('register', op.key);
    try {
      switch (op.f) {
        case 'read': {
          const { gateway, node } = this.readGateway();
          const served = node === undefined ? {} : { node };
          const kvs = await gateway.range(key, { serializable: this.serializable }, signal);
          const stored = kvs[0];
          if (stored === undefined) return { type: 'ok', value: null, ...served };
          const value = parseStored(stored.value);
          if (value === undefined)
            return { type: 'fail', error: `key ${key} holds ${JSON.stringify(stored.value)}, not JSON`, ...served };
          return { type: 'ok', value, ...served };
        }
        case 'write': {
          const value = op.value ?? null;
          if (value === null) await this.gateway.remove(key, signal);
          else await this.gateway.put(key, JSON.stringify(value), signal);
          return { type: 'ok', value };
        }
        case 'cas': {
          if (this.workload !== 'cas-register') return unknownOp(this.workload, op.f);
          if (!Array.isArray(op.value) || op.value.length !== 2) {
            return { type: 'fail', error: `a cas value must be [old, new], got ${JSON.stringify(op.value)}` };
          }
          const [from, to] = op.value as [Json, Json];
          const done = await this.gateway.compareAndSet(key, encode(from), encode(to), signal);
          return done ? { type: 'ok', value: op.value } : { type: 'fail', value: op.value, error: 'compare failed' };
        }
        default:
          return unknownOp(this.workload, op.f);
      }
    } catch (err) {
      return this.completionFor(err, op.f, signal);
    }
  }
}

function encode(value: Json): string | null {
  return value === null ? null : JSON.stringify(value);
}

function parseStored(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
