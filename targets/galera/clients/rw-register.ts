/**
 * The rw-register client. A key's register is one row of `registers`.
 *
 * - ["w", k, v]: insert or overwrite the row (INSERT ... ON DUPLICATE KEY UPDATE).
 * - ["r", k, null]: the row's value (null when there is no row).
 *
 * Errors become fail or info in ../errors.ts (through transaction()).
 */
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { GaleraConnection, unknownOp } from './connection.js';
import { microOps } from './micro-ops.js';

export class GaleraRwRegisterClient extends GaleraConnection {
  invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
    if (op.f !== 'txn') return Promise.resolve(unknownOp('rw-register', op.f));
    const mops = microOps(op.value);
    if (typeof mops === 'string') return Promise.resolve({ type: 'fail', error: mops });
    return this.transaction(signal, async (conn) => {
      const done: unknown[] = [];
      for (const [f, k, v] of mops) {
        if (f === 'w') {
          await conn.query('INSERT INTO registers (k, v) VALUES (?, ?) ON DUPLICATE KEY UPDATE v = ?', [k, v, v]);
          done.push([f, k, v]);
        } else if (f === 'r') {
          const rows: { v: number }[] = await conn.query('SELECT v FROM registers WHERE k = ?', [k]);
          done.push([f, k, rows[0]?.v ?? null]);
        } else {
          return { commit: false, error: `unknown micro-op ${JSON.stringify(f)}` };
        }
      }
      return { commit: true, value: done };
    });
  }
}
