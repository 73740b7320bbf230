/**
 * The register and cas-register clients (and the session workload's, which
 * has the same ops): one Redis string per independent key, holding the
 * register's value as JSON text. A register holding null is a missing key:
 * a read of a missing key returns null, a write of null deletes the key.
 *
 * - read: value ignored; ok with the value read, from where readFrom sends it.
 * - write: value v; SET (DEL for null) on the primary; ok with v.
 * - cas (cas-register only): value [old, new]; a Lua script on the primary
 *   compares and sets in one step: ok when the register held old and now
 *   holds new, fail ("compare failed") when it did not hold old.
 *
 * Errors become fail or info in errors.ts, nowhere else (via completionFor).
 */
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import type { RedisOptions } from '../options.js';
import { keyFor, parseStored, RedisClient, unknownOp } from './base.js';

/**
 * KEYS[1] the register; ARGV[1] "1" when old is a value (ARGV[2] its text),
 * "0" for null (no key); ARGV[3], ARGV[4] the same for new. Returns 1 when it
 * set the register, 0 when the register did not hold old. It writes only
 * after its one check, so an error can never leave half a cas applied.
 */
export const CAS_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], ARGV[4]) else redis.call('DEL', KEYS[1]) end
return 1
`;

export class RedisRegisterClient extends RedisClient {
  constructor(
    private readonly workload: 'register' | 'cas-register' | 'session',
    options: RedisOptions,
    nodes: readonly NodeInfo[],
  ) {
    super(options, nodes);
  }

  async invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    const key = keyFor('register', op.key);
    try {
      switch (op.f) {
        case 'read': {
          const { result, node } = await this.read(signal, (r) => r.get(key));
          const served = node === undefined ? {} : { node };
          if (result === null) return { type: 'ok', value: null, ...served };
          const value = parseStored(result);
          if (value === undefined)
            return { type: 'fail', error: `key ${key} holds ${JSON.stringify(result)}, not JSON`, ...served };
          return { type: 'ok', value, ...served };
        }
        case 'write': {
          const value = op.value ?? null;
          const { node } = await this.write<unknown>(signal, (r) =>
            value === null ? r.del(key) : r.set(key, JSON.stringify(value)),
          );
          return { type: 'ok', value, ...(node === undefined ? {} : { node }) };
        }
        case 'cas': {
          if (this.workload !== 'cas-register') return unknownOp(this.workload, op.f);
          if (!Array.isArray(op.value) || op.value.length !== 2) {
            return { type: 'fail', error: `a cas value must be [old, new], got ${JSON.stringify(op.value)}` };
          }
          const [from, to] = op.value as [Json, Json];
          const { result, node } = await this.write(signal, (r) =>
            r.eval(CAS_SCRIPT, 1, key, ...encode(from), ...encode(to)),
          );
          const served = node === undefined ? {} : { node };
          return result === 1
            ? { type: 'ok', value: op.value, ...served }
            : { type: 'fail', value: op.value, error: 'compare failed', ...served };
        }
        default:
          return unknownOp(this.workload, op.f);
      }
    } catch (err) {
      return this.completionFor(err, op.f, signal);
    }
  }
}

/** A value as the script's two arguments: whether it is a value, and its JSON text. */
function encode(value: Json): [string, string] {
  return value === null ? ['0', ''] : ['1', JSON.stringify(value)];
}
