/**
 * Register models.
 *
 * register: f "read" (value: what was read) and "write" (value: what was written).
 * cas-register: the same plus f "cas" with value [old, new]: sets new when the
 * register holds old.
 *
 * Initial value: options.initial, default null. With nilReadsAnyValue (Knossos
 * semantics) an ok read of null matches any state.
 */

import { jsonEqual, jsonKey, show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import {
  ILLEGAL,
  type Model,
  type ModelOp,
  type ModelOptions,
  type StateKey,
  type StateStep,
  type StateSteps,
} from './model.js';

function makeRegister(name: string, withCas: boolean, options: ModelOptions): Model<Json> {
  const initial: Json = options.initial ?? null;
  const nilReadsAnyValue = options.nilReadsAnyValue ?? false;
  const known = withCas ? ['read', 'write', 'cas'] : ['read', 'write'];
  return {
    name,
    init: () => initial,
    step(state, op) {
      switch (op.f) {
        case 'read':
          if (op.outcome === 'info' || (op.value === null && nilReadsAnyValue)) return state;
          return jsonEqual(state, op.value) ? state : ILLEGAL;
        case 'write':
          return op.value ?? null;
        case 'cas': {
          const [from, to] = op.value as [Json, Json];
          return jsonEqual(state, from) ? to : ILLEGAL;
        }
        default:
          return ILLEGAL;
      }
    },
    whyIllegal(state, op) {
      if (!known.includes(op.f)) return `${name} has no operation ${op.f}`;
      return `register holds ${show(state)}`;
    },
    stateKey: jsonKey,
    stateJson: (state) => state,
    describeState: (state) => `register holds ${show(state)}`,
    describeOp(op: ModelOp) {
      if (op.f === 'cas' && Array.isArray(op.value)) return `cas ${show(op.value[0])}→${show(op.value[1])}`;
      if (op.f === 'read' && op.outcome === 'info') return 'read (unknown result)';
      return `${op.f} ${show(op.value)}`;
    },
    validate(op) {
      if (!known.includes(op.f))
        throw new Error(`${name} model: unknown f ${JSON.stringify(op.f)} (known: ${known.join(', ')})`);
      if (op.f === 'cas' && !(Array.isArray(op.value) && op.value.length === 2)) {
        throw new Error(`${name} model: a cas value must be [old, new], got ${show(op.value)}`);
      }
    },
    isReadOnly: (op) =>
      op.f === 'read' || (op.f === 'cas' && Array.isArray(op.value) && jsonEqual(op.value[0], op.value[1])),
    isNoop: (op) => op.f === 'read' && (op.outcome === 'info' || (op.value === null && nilReadsAnyValue)),
    stateSteps: (ops) => registerSteps(ops, initial),
  };
}

/** Each value is its own state (a write of v goes to v's number): see Model.stateSteps. */
function registerSteps(ops: readonly ModelOp[], initial: Json): StateSteps {
  const numbers = new Map<StateKey, number>();
  const number = (value: Json | undefined): number => {
    const key = jsonKey(value ?? null);
    let n = numbers.get(key);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(key, n);
    }
    return n;
  };
  const initialNumber = number(initial);
  const steps = ops.map((op): StateStep => {
    if (op.f === 'write') return { kind: 'write', to: number(op.value) };
    if (op.f === 'cas') {
      const [from, to] = op.value as [Json, Json];
      return jsonEqual(from, to)
        ? { kind: 'read', state: number(from) }
        : { kind: 'cas', from: number(from), to: number(to) };
    }
    return { kind: 'read', state: number(op.value) };
  });
  return { initial: initialNumber, steps };
}

export const register = (options: ModelOptions): Model<Json> => makeRegister('register', false, options);
export const casRegister = (options: ModelOptions): Model<Json> => makeRegister('cas-register', true, options);
