import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { silentLogger } from '../log.js';
import { ClientWorker } from './client-worker.js';

const invocation = (f: string): Op => ({ index: 0, time: 0, type: 'invoke', process: 0, f, value: null });

describe('client worker: the node of a completion', () => {
  const worker = new ClientWorker({
    thread: 0,
    makeClient: () => ({
      open: async () => {},
      close: async () => {},
      // A client that sends "read-elsewhere" to n3 and says so; "read-odd" names a node badly.
      invoke: async (op) =>
        op.f === 'read-elsewhere'
          ? { type: 'ok', value: 1, node: 'n3' }
          : op.f === 'read-odd'
            ? ({ type: 'ok', value: 1, node: 7 } as never)
            : { type: 'ok', value: 1 },
    }),
    node: { name: 'n1', address: '127.0.0.1' },
    opTimeoutMs: 1000,
    reopenBackoffMs: 10,
    log: silentLogger,
    runSignal: new AbortController().signal,
  });

  it('is the client’s node, unless the completion names the node that served the op', async () => {
    expect((await worker.run(invocation('read'))).node).toBe('n1');
    expect((await worker.run(invocation('read-elsewhere'))).node).toBe('n3');
    expect((await worker.run(invocation('read-odd'))).node).toBe('n1');
    await worker.close();
  });
});
