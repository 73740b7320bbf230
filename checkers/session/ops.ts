/**
 * The history as the session checker reads it: client ops grouped by key, in
 * invocation order, each folded into a SessionOp.
 *
 * - `fail` ops certainly did not happen: dropped (a failed write's value is
 *   remembered, so that a read of it is reported as unexplained).
 * - `info` reads tell nothing: dropped. `info` writes may have happened: kept,
 *   with outcome info and no completion.
 * - A session is a process id (after an info the worker continues under a
 *   fresh one), so an info op is normally the last of its session.
 */
import { MalformedHistoryError } from '../../harness/history/errors.js';
import { jsonKey, show } from '../../harness/history/json.js';
import type { History, Json, Op } from '../../harness/history/op.js';
import { pairOps } from '../../harness/history/pair.js';
import type { StateKey } from '../models/model.js';
import type { Datatype, SessionOp } from './result.js';

export interface KeyOps {
  key: Json | undefined;
  /** The key's ok reads and its writes (adds) that may have happened, in invocation order. */
  ops: SessionOp[];
  /** Values whose write definitely failed, by jsonKey. */
  failed: Set<StateKey>;
  /** The key's raw history ops (invocations and completions), in history order, for checkers/set. */
  raw: Op[];
}

const WRITE_F: Record<Datatype, string> = { register: 'write', set: 'add' };

/**
 * Groups the history by key. Throws MalformedHistoryError (with the history
 * position) when it breaks the pairing rules, has an f other than read and
 * write (registers) or add (sets), writes null to a register (null is the
 * initial value), writes a value twice to the same key, or has a set read
 * whose value is not an array.
 */
export function opsByKey(history: History, datatype: Datatype): KeyOps[] {
  const writeF = WRITE_F[datatype];
  const keys = new Map<StateKey, KeyOps & { written: Map<StateKey, number> }>();
  for (const { process, f, invoke, complete } of pairOps(history)) {
    if (f !== 'read' && f !== writeF) {
      throw new MalformedHistoryError(
        `the session checker on ${datatype}s knows f read and ${writeF}, not ${JSON.stringify(f)}`,
        invoke.index,
      );
    }
    const id = jsonKey(invoke.key);
    let entry = keys.get(id);
    if (!entry) {
      entry = { key: invoke.key, ops: [], failed: new Set(), raw: [], written: new Map() };
      keys.set(id, entry);
    }
    entry.raw.push(invoke);
    if (complete) entry.raw.push(complete);
    const outcome = complete?.type ?? 'info';

    if (f === writeF) {
      const value = invoke.value ?? null;
      if (datatype === 'register' && value === null) {
        throw new MalformedHistoryError(
          'a write of null: the session checker takes null for the initial value, so writes must be non-null',
          invoke.index,
        );
      }
      const valueId = jsonKey(value);
      const earlier = entry.written.get(valueId);
      if (earlier !== undefined) {
        throw new MalformedHistoryError(
          `${show(value)} is written twice to ${keyText(invoke.key)} (ops ${earlier} and ${invoke.index}): ` +
            'the session checker needs values unique per key to tell versions apart',
          invoke.index,
        );
      }
      entry.written.set(valueId, invoke.index);
      if (outcome === 'fail') {
        entry.failed.add(valueId);
        continue;
      }
      entry.ops.push(sessionOp(process, f, value, invoke, outcome === 'ok' ? complete : undefined, complete?.node));
      continue;
    }
    if (outcome !== 'ok' || !complete) continue; // a failed or indeterminate read tells nothing
    const value = complete.value ?? null;
    if (datatype === 'set' && !Array.isArray(value)) {
      throw new MalformedHistoryError(
        `an ok read of a set must return an array of elements, got ${show(value)}`,
        complete.index,
      );
    }
    entry.ops.push(sessionOp(process, f, value, invoke, complete, complete.node));
  }
  for (const entry of keys.values()) entry.raw.sort((a, b) => a.index - b.index);
  return [...keys.values()].map(({ key, ops, failed, raw }) => ({ key, ops, failed, raw }));
}

/** `complete` is the ok completion (undefined for an open op); `node` the completion's node, whatever its type. */
function sessionOp(
  process: Op['process'],
  f: string,
  value: Json,
  invoke: Op,
  complete: Op | undefined,
  node: string | undefined,
): SessionOp {
  return {
    process,
    f,
    value,
    outcome: complete ? 'ok' : 'info',
    invokeIndex: invoke.index,
    completeIndex: complete?.index,
    time: complete ? complete.time : invoke.time,
    invokeTime: invoke.time,
    node,
  };
}

/** "key 7", or "the register" / "the set" when the history has no keys. */
export function keyText(key: Json | undefined, datatype?: Datatype): string {
  if (key === undefined) return datatype === 'set' ? 'the set' : 'the register';
  return `key ${show(key)}`;
}

/** The ops of each process, in invocation order (a process's ops never overlap). */
export function bySession(ops: readonly SessionOp[]): Map<SessionOp['process'], SessionOp[]> {
  const sessions = new Map<SessionOp['process'], SessionOp[]>();
  for (const op of ops) {
    let list = sessions.get(op.process);
    if (!list) sessions.set(op.process, (list = []));
    list.push(op);
  }
  return sessions;
}
