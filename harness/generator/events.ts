/**
 * Turning generator ops into history ops, shared by the interpreter and the
 * simulator so both record exactly the same shapes (field order matches the
 * JSONL examples in DESIGN.md: index, time, type, process, f, key, value,
 * node, error).
 */
import type { CompletionFields, CompletionOp, Op } from '../history/op.js';
import type { GenOp } from './generator.js';

/** The history entry for an invocation (nemesis ops are `info`, like their GenOp). */
export function invocationOp(op: GenOp, index: number, time: number): Op {
  const out: Op = { index, time, type: op.type, process: op.process, f: op.f };
  if (op.key !== undefined) out.key = op.key;
  if (op.value !== undefined) out.value = op.value;
  return out;
}

/** The history entry completing `invocation`; same process, f and key. */
export function completionOp(invocation: Op, index: number, time: number, c: CompletionFields): CompletionOp {
  const out: CompletionOp = { index, time, type: c.type, process: invocation.process, f: invocation.f };
  if (invocation.key !== undefined) out.key = invocation.key;
  if (c.value !== undefined) out.value = c.value;
  if (c.node !== undefined) out.node = c.node;
  if (c.error !== undefined) out.error = c.error;
  return out;
}
