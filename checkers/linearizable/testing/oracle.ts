/**
 * A brute-force linearizability oracle for tests, independent of the
 * checker: it tries every order of the ops consistent with real time. Only
 * for small histories (it is exponential). Open ops (info, never completed)
 * may go anywhere after their invocation, or never; failed ops never happen.
 */
import type { Json, Op } from '../../../harness/history/op.js';

export interface OracleOp {
  f: string;
  /** For ok ops the completion's value (what was read); for open ops the invocation's. */
  value: Json | undefined;
  ok: boolean;
}

/** The state after `op`, or undefined when it cannot happen in `state`. */
export type OracleStep = (state: Json, op: OracleOp) => Json | undefined;

/** Whether `history` (one object, no keys) is linearizable from `initial` under `step`. */
export function oracle(history: readonly Op[], initial: Json, step: OracleStep): boolean {
  type O = OracleOp & { invoke: number; complete: number };
  const ops: O[] = [];
  const open = new Map<Op['process'], O>();
  history.forEach((op, i) => {
    if (op.type === 'invoke') {
      const o: O = { f: op.f, value: op.value, ok: false, invoke: i, complete: Number.POSITIVE_INFINITY };
      open.set(op.process, o);
      ops.push(o);
      return;
    }
    const o = open.get(op.process)!;
    open.delete(op.process);
    if (op.type === 'fail') ops.splice(ops.indexOf(o), 1);
    if (op.type === 'ok') {
      o.ok = true;
      o.complete = i;
      o.value = op.value;
    }
  });
  const placed = new Set<O>();
  const search = (state: Json): boolean => {
    if (ops.every((o) => !o.ok || placed.has(o))) return true;
    for (const o of ops) {
      if (placed.has(o)) continue;
      if (ops.some((p) => p.ok && !placed.has(p) && p !== o && p.complete < o.invoke)) continue;
      const next = step(state, o);
      if (next === undefined) continue;
      placed.add(o);
      if (search(next)) return true;
      placed.delete(o);
    }
    return false;
  };
  return search(initial);
}

/** A cas register of numbers: read, write, cas [from, to]. An open read matches anything. */
export const casRegisterStep: OracleStep = (state, o) => {
  if (o.f === 'read') return !o.ok || o.value === state ? state : undefined;
  if (o.f === 'write') return o.value ?? null;
  const [from, to] = o.value as [Json, Json];
  return state === from ? to : undefined;
};

/** A key of a kv store of strings: get, put, append (to an absent key: to ""). An open get matches anything. */
export const kvStep: OracleStep = (state, o) => {
  if (o.f === 'get') return !o.ok || (o.value ?? null) === state ? state : undefined;
  if (o.f === 'put') return o.value ?? null;
  return `${(state as string | null) ?? ''}${o.value as string}`;
};
