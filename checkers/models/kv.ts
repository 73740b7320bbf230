/**
 * kv: a key-value store, checked key by key (each key is an independent register).
 *
 * Op shape: `key` holds the key and `value` the value:
 *   {"f":"put","key":"k1","value":3}   sets k1 to 3
 *   {"f":"get","key":"k1","value":3}   read 3 from k1 (null: the key is absent)
 *   {"f":"append","key":"k1","value":"x"}  appends the string "x" (absent counts as "")
 * When an op has no `key`, its value is taken as a Jepsen independent tuple
 * [key, value].
 *
 * Initial: options.initial, the value of every key before any op; default null (absent).
 */

import { jsonEqual, jsonKey, show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { kvStateSteps } from './kv-steps.js';
import { ILLEGAL, type Model, type ModelOp, type ModelOptions } from './model.js';

type KvOp = ModelOp & { key?: Json | undefined };

function split(op: KvOp): { key: Json | undefined; value: Json | undefined } {
  if (op.key !== undefined) return { key: op.key, value: op.value };
  if (Array.isArray(op.value) && op.value.length === 2) return { key: op.value[0], value: op.value[1] };
  return { key: undefined, value: op.value };
}

/**
 * Why a get of "" cannot read an absent key. Many stores (and Porcupine's kv
 * model) read a missing key as "": such a history needs the initial value "".
 */
const ABSENT_NOT_EMPTY =
  'key is absent, and an absent key reads as null, not ""; if missing keys read as "" in this history, ' +
  `give the initial value "" (faultline check --initial '""')`;

export function kv(options: ModelOptions): Model<Json> {
  const initial: Json = options.initial ?? null;
  const known = ['put', 'get', 'append'];
  return {
    name: 'kv',
    init: () => initial,
    partition: (op) => split(op).key,
    project: (op) => ({ f: op.f, value: split(op).value, outcome: op.outcome }),
    step(state, op) {
      switch (op.f) {
        case 'get':
          if (op.outcome === 'info') return state;
          return jsonEqual(state, op.value ?? null) ? state : ILLEGAL;
        case 'put':
          return op.value ?? null;
        case 'append':
          if (typeof op.value !== 'string' || (state !== null && typeof state !== 'string')) return ILLEGAL;
          return (state ?? '') + op.value;
        default:
          return ILLEGAL;
      }
    },
    whyIllegal(state, op) {
      if (!known.includes(op.f)) return `kv has no operation ${op.f}`;
      if (op.f === 'append' && state !== null && typeof state !== 'string')
        return `key holds ${show(state)}, not a string`;
      if (state === null && op.f === 'get' && op.value === '') return ABSENT_NOT_EMPTY;
      return state === null ? 'key is absent' : `key holds ${show(state)}`;
    },
    stateKey: jsonKey,
    stateJson: (state) => state,
    describeState: (state) => (state === null ? 'key is absent' : `key holds ${show(state)}`),
    describeOp: (op) =>
      op.f === 'get' && op.outcome === 'info' ? 'get (unknown result)' : `${op.f} ${show(op.value)}`,
    validate(op) {
      if (!known.includes(op.f))
        throw new Error(`kv model: unknown f ${JSON.stringify(op.f)} (known: ${known.join(', ')})`);
      const { key, value } = split(op as KvOp);
      if (key === undefined) throw new Error('kv model: an op needs a key (the op.key field, or a value [key, value])');
      if (op.f === 'append' && typeof value !== 'string')
        throw new Error(`kv model: append needs a string value, got ${show(value)}`);
    },
    isReadOnly: (op) => op.f === 'get',
    isNoop: (op) => op.f === 'get' && op.outcome === 'info',
    stateSteps: (ops) => kvStateSteps(ops, initial),
  };
}
