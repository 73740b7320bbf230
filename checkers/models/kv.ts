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
import { ILLEGAL, type Model, type ModelOp, type ModelOptions, type StateKey } from './model.js';

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

/**
 * A key's state: its value, and a number that stands for the value in the
 * search's memo. Appending to a long string must not cost its length at every
 * step (hashing a new string of thousands of characters was most of the time
 * on append-heavy histories), so states are interned as they are made: a put
 * by its value, an append by the state before it and the token. The same
 * step from the same state gives the same (cached) state object, its value
 * flattened once. Two equal values made in different ways (a put of "ab",
 * and "a" then an append of "b") may get different numbers: the memo then
 * shares a little less, which never changes a verdict.
 */
export interface KvState {
  readonly value: Json;
  readonly id: number;
  /** The states an append of each token leads to from here, as they are met (the token strings' hashes are cached). */
  appended?: Map<string, KvState>;
}

/** Most states a kv model caches; past that each new state gets a number of its own (see KvState). */
const MAX_CACHED_STATES = 2 ** 23;

export function kv(options: ModelOptions): Model<KvState> {
  const initialValue: Json = options.initial ?? null;
  const known = ['put', 'get', 'append'];
  const byValue = new Map<StateKey, KvState>();
  let cachedStates = 0;
  let nextId = 0;
  const put = (value: Json): KvState => {
    const key = jsonKey(value);
    let state = byValue.get(key);
    if (state === undefined) {
      state = { value, id: nextId++ };
      if (cachedStates++ < MAX_CACHED_STATES) byValue.set(key, state);
    }
    return state;
  };
  const append = (state: KvState, token: string): KvState => {
    let next = state.appended?.get(token);
    if (next === undefined) {
      next = { value: ((state.value as string | null) ?? '') + token, id: nextId++ };
      if (cachedStates++ < MAX_CACHED_STATES) (state.appended ??= new Map()).set(token, next);
    }
    return next;
  };
  const initial = put(initialValue);
  return {
    name: 'kv',
    init: () => initial,
    partition: (op) => split(op).key,
    project: (op) => ({ f: op.f, value: split(op).value, outcome: op.outcome }),
    step(state, op) {
      switch (op.f) {
        case 'get':
          if (op.outcome === 'info') return state;
          return jsonEqual(state.value, op.value ?? null) ? state : ILLEGAL;
        case 'put':
          return put(op.value ?? null);
        case 'append': {
          const token = op.value;
          if (typeof token !== 'string' || (state.value !== null && typeof state.value !== 'string')) return ILLEGAL;
          return append(state, token);
        }
        default:
          return ILLEGAL;
      }
    },
    whyIllegal({ value }, op) {
      if (!known.includes(op.f)) return `kv has no operation ${op.f}`;
      if (op.f === 'append' && value !== null && typeof value !== 'string')
        return `key holds ${show(value)}, not a string`;
      if (value === null && op.f === 'get' && op.value === '') return ABSENT_NOT_EMPTY;
      return value === null ? 'key is absent' : `key holds ${show(value)}`;
    },
    stateKey: (state) => state.id,
    stateJson: (state) => state.value,
    describeState: ({ value }) => (value === null ? 'key is absent' : `key holds ${show(value)}`),
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
    stateSteps: (ops) => kvStateSteps(ops, initialValue),
  };
}
