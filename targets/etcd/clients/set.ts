/**
 * The set client. Each add is its own etcd key under the set's prefix
 * (/faultline/set/<key>/<element>), so adds never contend with each other
 * (no transaction retry loop), and a read is one range request over the
 * prefix, which etcd answers from a single revision: an atomic snapshot of
 * the set.
 *
 * - add: value e (any JSON, unique per add); ok with e.
 * - read: value ignored; ok with the elements, numbers ascending.
 *
 * Errors become fail or info in errors.ts, nowhere else (via completionFor).
 */
import type { Json } from '../../../harness/history/op.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { EtcdConnection, keyFor, unknownOp } from './connection.js';

export class EtcdSetClient extends EtcdConnection {
  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const prefix = `${keyFor('set', op.key)}/`;
    try {
      switch (op.f) {
        case 'add': {
          const element = op.value ?? null;
          const text = JSON.stringify(element);
          await this.gateway.put(prefix + text, text, signal);
          return { type: 'ok', value: element };
        }
        case 'read': {
          const kvs = await this.gateway.range(prefix, { prefix: true, serializable: this.serializable }, signal);
          const elements: Json[] = [];
          for (const kv of kvs) {
            try {
              elements.push(JSON.parse(kv.value) as Json);
            } catch {
              return { type: 'fail', error: `key ${kv.key} holds ${JSON.stringify(kv.value)}, not JSON` };
            }
          }
          return { type: 'ok', value: sortElements(elements) };
        }
        default:
          return unknownOp('set', op.f);
      }
    } catch (err) {
      return this.completionFor(err, op.f, signal);
    }
  }
}

function sortElements(elements: Json[]): Json[] {
  return elements.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : JSON.stringify(a) < JSON.stringify(b) ? -1 : 1,
  );
}
