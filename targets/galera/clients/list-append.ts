/**
 * The list-append client. A key's list is one row of `lists`: the values
 * as comma-separated integers in a TEXT column.
 *
 * - ["append", k, v]: insert the row with "v", or append ",v" with CONCAT
 *   (INSERT ... ON DUPLICATE KEY UPDATE), in one statement.
 * - ["r", k, null]: the row's list ([] when there is no row).
 *
 * Errors become fail or info in ../errors.ts (through transaction()).
 */
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { GaleraConnection, unknownOp } from './connection.js';
import { microOps } from './micro-ops.js';

/** "1,2,3" -> [1, 2, 3]; null (no row) -> []. */
export function parseList(text: string | null | undefined): number[] {
  if (text === null || text === undefined || text === '') return [];
  return text.split(',').map(Number);
}

export class GaleraListAppendClient extends GaleraConnection {
  invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    if (op.f !== 'txn') return Promise.resolve(unknownOp('list-append', op.f));
    const mops = microOps(op.value);
    if (typeof mops === 'string') return Promise.resolve({ type: 'fail', error: mops });
    return this.transaction(signal, async (conn) => {
      const done: unknown[] = [];
      for (const [f, k, v] of mops) {
        if (f === 'append') {
          await conn.query('INSERT INTO lists (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = CONCAT(v, ?)', [
            k,
            String(v),
            `,${v}`,
          ]);
          done.push([f, k, v]);
        } else if (f === 'r') {
          const rows: { v: string }[] = await conn.query('SELECT v FROM lists WHERE k = ?', [k]);
          done.push([f, k, parseList(rows[0]?.v)]);
        } else {
          return { commit: false, error: `unknown micro-op ${JSON.stringify(f)}` };
        }
      }
      return { commit: true, value: done };
    });
  }
}
