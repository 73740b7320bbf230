/**
 * Rows of a `history` block (./view.ts): ops listed for a person, read off
 * the paired history, for any checker's view.
 */
import { show } from '../harness/history/json.js';
import type { Json } from '../harness/history/op.js';
import type { Operation } from '../harness/history/pair.js';
import type { HistoryRow, ViewContext } from './view.js';

/** Characters of an op's value or error shown in a listing (history.jsonl has them whole). */
export const HISTORY_TEXT_CHARS = 200;

/**
 * One row per op, in the order given. `roles` marks ops by the history index
 * of their invocation (the failed op, the last ok one).
 */
export function historyRows(
  ops: readonly Operation[],
  timeOf: ViewContext['timeOf'],
  roles: ReadonlyMap<number, NonNullable<HistoryRow['role']>> = new Map(),
): HistoryRow[] {
  return ops.map(({ process, f, invoke, complete }) => {
    const role = roles.get(invoke.index);
    const error = complete?.error;
    return {
      index: invoke.index,
      process: String(process),
      f,
      value: valueText(invoke.value, complete?.type === 'ok' ? complete.value : undefined),
      outcome: complete ? complete.type : 'open',
      ...(complete?.node !== undefined ? { node: cut(String(complete.node)) } : {}),
      ...(error !== undefined && error !== null ? { error: cut(show(error)) } : {}),
      invoke: timeOf(invoke.index),
      complete: complete ? timeOf(complete.index) : null,
      ...(role ? { role } : {}),
    };
  });
}

/** What an ok completion returned (a read's value), unless it is empty and the invocation's is not. */
function valueText(invoked: Json | undefined, returned: Json | undefined): string {
  const emptyReturn = returned === undefined || (returned === null && invoked !== undefined && invoked !== null);
  const value = emptyReturn ? invoked : returned;
  return value === undefined || (value === null && emptyReturn) ? '' : cut(show(value));
}

function cut(text: string): string {
  return text.length <= HISTORY_TEXT_CHARS ? text : `${text.slice(0, HISTORY_TEXT_CHARS - 1)}…`;
}
