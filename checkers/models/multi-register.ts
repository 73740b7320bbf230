/**
 * multi-register: registers named by key, read and written in transactions.
 * f "txn" with value [[f, k, v], ...] micro-ops, f "read" or "write", applied
 * in order. A read of v requires register k to hold v (an unwritten register
 * holds null). State: an object, e.g. {"x": 0, "y": 0}.
 *
 * Initial: options.initial (an object), default {}. With nilReadsAnyValue
 * (Knossos semantics) a micro-read of null matches any value; the reads of an
 * open (info) txn are always unconstrained.
 */

import { canonicalJson, jsonEqual, show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import { ILLEGAL, type Model, type ModelOp, type ModelOptions } from './model.js';

type Registers = { readonly [key: string]: Json };
type Micro = [string, Json, Json];

const keyName = (k: Json): string => (typeof k === 'string' ? k : canonicalJson(k));

export function multiRegister(options: ModelOptions): Model<Registers> {
  const initial = options.initial ?? {};
  if (typeof initial !== 'object' || initial === null || Array.isArray(initial)) {
    throw new Error(`multi-register model: initial must be an object like {"x":0}, got ${show(initial)}`);
  }
  const nilReadsAnyValue = options.nilReadsAnyValue ?? false;
  const unconstrained = (op: ModelOp, v: Json): boolean => op.outcome === 'info' || (v === null && nilReadsAnyValue);

  /** The first micro-read that does not match, or undefined when the txn is legal. */
  function firstMismatch(state: Registers, op: ModelOp): { micro: Micro; holds: Json } | undefined {
    let current: Record<string, Json> = state;
    let copied = false;
    for (const micro of op.value as Micro[]) {
      const [f, k, v] = micro;
      const name = keyName(k);
      if (f === 'read') {
        if (!unconstrained(op, v) && !jsonEqual(current[name] ?? null, v))
          return { micro, holds: current[name] ?? null };
      } else {
        if (!copied) current = { ...current };
        copied = true;
        current[name] = v;
      }
    }
    return undefined;
  }

  return {
    name: 'multi-register',
    init: () => initial as Registers,
    step(state, op) {
      if (op.f !== 'txn') return ILLEGAL;
      let next: Record<string, Json> | undefined;
      for (const [f, k, v] of op.value as Micro[]) {
        const name = keyName(k);
        const current = next ?? state;
        if (f === 'read') {
          if (!unconstrained(op, v) && !jsonEqual(current[name] ?? null, v)) return ILLEGAL;
        } else {
          next ??= { ...state };
          next[name] = v;
        }
      }
      return next ?? state;
    },
    whyIllegal(state, op) {
      if (op.f !== 'txn') return `multi-register has no operation ${op.f}`;
      const bad = firstMismatch(state, op);
      if (!bad) return 'the txn is legal here';
      return `read of ${keyName(bad.micro[1])}=${show(bad.micro[2])} but ${keyName(bad.micro[1])} holds ${show(bad.holds)}`;
    },
    stateKey: (state) => canonicalJson(state),
    stateJson: (state) => state,
    describeState: (state) =>
      Object.keys(state).length === 0
        ? 'all registers empty'
        : Object.keys(state)
            .sort()
            .map((k) => `${k}=${show(state[k])}`)
            .join(' '),
    describeOp(op) {
      if (!Array.isArray(op.value)) return `${op.f} ${show(op.value)}`;
      const micros = (op.value as Micro[]).map(([f, k, v]) =>
        f === 'read' && unconstrained(op, v) ? `read ${keyName(k)}` : `${f} ${keyName(k)}=${show(v)}`,
      );
      return `txn [${micros.join(', ')}]`;
    },
    validate(op) {
      if (op.f !== 'txn') throw new Error(`multi-register model: unknown f ${JSON.stringify(op.f)} (known: txn)`);
      const ok =
        Array.isArray(op.value) &&
        op.value.every((m) => Array.isArray(m) && m.length === 3 && (m[0] === 'read' || m[0] === 'write'));
      if (!ok)
        throw new Error(
          `multi-register model: a txn value must be [[read|write, key, value], ...], got ${show(op.value)}`,
        );
    },
    isReadOnly: (op) => op.f === 'txn' && Array.isArray(op.value) && (op.value as Micro[]).every(([f]) => f === 'read'),
    isNoop: (op) =>
      op.f === 'txn' &&
      Array.isArray(op.value) &&
      (op.value as Micro[]).every(([f, , v]) => f === 'read' && unconstrained(op, v)),
  };
}
