/**
 * Histories that are deliberately hard for the search, for budget and
 * interleaving tests (cas-register model): n crashed writes of 1..n, all
 * concurrent, then an ok cas from `from` to -2.
 *
 * - `from` 1: linearizable, but the search (which tries the crashed writes as
 *   early as it can) explores about 2^(n-1) * n configurations before it finds
 *   "write 1, then the cas".
 * - `from` never written (e.g. -1): not linearizable, and proving it means
 *   exhausting every subset of the writes.
 *
 * (A read instead of the cas would be easy: reads go first as soon as legal.)
 */
import type { Json, Op } from '../../../harness/history/op.js';
import { HistoryBuilder } from './history-builder.js';

export function hardRegisterHistory(n: number, from: Json, key?: Json, firstProcess = 0): Op[] {
  const h = new HistoryBuilder();
  for (let p = 0; p < n; p++) h.invoke(firstProcess + p, 'write', p + 1, key);
  for (let p = 0; p < n; p++) h.info(firstProcess + p);
  h.invoke(firstProcess + n, 'cas', [from, -2], key).ok(firstProcess + n);
  return h.ops;
}
