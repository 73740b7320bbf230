/**
 * The set client: one Redis set per independent key (the set workload uses
 * one), holding each element as JSON text. SADD is idempotent and a read is
 * one SMEMBERS, an atomic snapshot of the set on the node that serves it.
 *
 * - add: value e (any JSON, unique per add); SADD on the primary; ok with e.
 * - read: value ignored; ok with the elements, numbers ascending, from where readFrom sends it.
 *
 * Errors become fail or info in errors.ts, nowhere else (via completionFor).
 */
import type { Json } from '../../../harness/history/op.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { keyFor, parseStored, RedisClient, unknownOp } from './base.js';

export class RedisSetClient extends RedisClient {
  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const key = keyFor('set', op.key);
    try {
      switch (op.f) {
        case 'add': {
          const element = op.value ?? null;
          const { node } = await this.write(signal, (r) => r.sadd(key, JSON.stringify(element)));
          return { type: 'ok', value: element, ...(node === undefined ? {} : { node }) };
        }
        case 'read': {
          const { result, node } = await this.read(signal, (r) => r.smembers(key));
          const served = node === undefined ? {} : { node };
          const elements: Json[] = [];
          for (const text of result) {
            const element = parseStored(text);
            if (element === undefined)
              return { type: 'fail', error: `set ${key} holds ${JSON.stringify(text)}, not JSON`, ...served };
            elements.push(element);
          }
          return { type: 'ok', value: sortElements(elements), ...served };
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
