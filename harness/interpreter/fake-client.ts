/**
 * An in-memory client for tests and benchmarks of the interpreter: what it
 * does is named by the op's f.
 *
 * - "ok" / "write": ok, echoing the value; "read": ok with value 42
 * - "fail": fail with an error; "info": info
 * - "throw": throws; "garbage": returns something that is not a completion
 * - "hang": never answers, but rejects when its signal aborts
 * - "hang-hard": never answers and ignores its signal
 * - "slow": ok after `value` milliseconds (default 5)
 */

import type { Client, ClientOp, Completion } from '../../workloads/client.js';
import type { NodeInfo } from '../runtime/runtime.js';

export interface FakeClientLog {
  opened: number;
  closed: number;
  /** Clients made so far. */
  made: number;
  /** Make the next `failOpens` opens throw. */
  failOpens: number;
}

export function fakeClientFactory(log: FakeClientLog = { opened: 0, closed: 0, made: 0, failOpens: 0 }) {
  const make = (_thread: number): Client => {
    log.made++;
    let open = false;
    return {
      async open(_node: NodeInfo) {
        if (log.failOpens > 0) {
          log.failOpens--;
          throw new Error('connection refused');
        }
        open = true;
        log.opened++;
      },
      async close() {
        if (open) log.closed++;
        open = false;
      },
      invoke(op: ClientOp, signal: AbortSignal): Promise<Completion> {
        if (!open) return Promise.reject(new Error('invoke on a closed client'));
        switch (op.f) {
          case 'ok':
          case 'write':
            return Promise.resolve({ type: 'ok', value: op.value ?? null });
          case 'read':
            return Promise.resolve({ type: 'ok', value: 42 });
          case 'fail':
            return Promise.resolve({ type: 'fail', error: 'nope' });
          case 'info':
            return Promise.resolve({ type: 'info', error: 'lost' });
          case 'throw':
            return Promise.reject(new Error('boom'));
          case 'garbage':
            return Promise.resolve({ kind: 'what' } as never);
          case 'hang':
            return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
          case 'hang-hard':
            return new Promise(() => {});
          case 'slow':
            return new Promise((resolve) =>
              setTimeout(
                () => resolve({ type: 'ok', value: op.value ?? null }),
                typeof op.value === 'number' ? op.value : 5,
              ),
            );
          default:
            return Promise.resolve({ type: 'fail', error: `unknown f ${op.f}` });
        }
      },
    };
  };
  return { make, log };
}
