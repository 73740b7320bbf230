/**
 * The etcd clients against a real single etcd on 127.0.0.1 (ports 23794/23795).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing } from '../../harness/testing/requirements.js';
import type { Client } from '../../workloads/client.js';
import { parseTargetOptions } from '../options.js';
import { EtcdRegisterClient } from './clients/register.js';
import { EtcdSetClient } from './clients/set.js';
import { etcdTarget } from './index.js';
import type { EtcdOptions } from './options.js';
import { type LocalEtcd, startLocalEtcd } from './testing/local-etcd.js';

const CLIENT_PORT = 23794;
const PEER_PORT = 23795;
const node = { name: 'local', address: '127.0.0.1' };

function opts(extra: Partial<EtcdOptions> = {}): EtcdOptions {
  return { ...parseTargetOptions(etcdTarget, { clientPort: CLIENT_PORT }), ...extra };
}

async function opened<C extends Client>(client: C): Promise<C> {
  await client.open(node);
  return client;
}

const never = () => new AbortController().signal;

describe.skipIf(missing({ commands: ['etcd'] }))('etcd clients against a local etcd', () => {
  let etcd: LocalEtcd;
  beforeAll(async () => {
    etcd = await startLocalEtcd(CLIENT_PORT, PEER_PORT);
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('register: a missing key reads null; writes are read back; writing null deletes', async () => {
    const c = await opened(new EtcdRegisterClient('register', opts()));
    expect(await c.invoke({ process: 0, f: 'read', key: 'r1' }, never())).toEqual({ type: 'ok', value: null });
    expect(await c.invoke({ process: 0, f: 'write', key: 'r1', value: 3 }, never())).toEqual({ type: 'ok', value: 3 });
    expect(await c.invoke({ process: 0, f: 'read', key: 'r1' }, never())).toEqual({ type: 'ok', value: 3 });
    // Independent keys do not see each other.
    expect(await c.invoke({ process: 0, f: 'read', key: 'r2' }, never())).toEqual({ type: 'ok', value: null });
    await c.invoke({ process: 0, f: 'write', key: 'r1', value: null }, never());
    expect(await c.invoke({ process: 0, f: 'read', key: 'r1' }, never())).toEqual({ type: 'ok', value: null });
    // The register client has no cas.
    expect((await c.invoke({ process: 0, f: 'cas', key: 'r1', value: [null, 1] }, never())).type).toBe('fail');
    await c.close();
  });

  it('register: serializable reads see the value too', async () => {
    const c = await opened(new EtcdRegisterClient('register', opts({ readMode: 'serializable' })));
    await c.invoke({ process: 0, f: 'write', key: 's1', value: 7 }, never());
    expect(await c.invoke({ process: 0, f: 'read', key: 's1' }, never())).toEqual({ type: 'ok', value: 7 });
  });

  it('cas-register: cas succeeds only from the current value, null meaning missing', async () => {
    const c = await opened(new EtcdRegisterClient('cas-register', opts()));
    const cas = (from: number | null, to: number | null) =>
      c.invoke({ process: 0, f: 'cas', key: 'c1', value: [from, to] }, never());
    expect(await cas(null, 1)).toEqual({ type: 'ok', value: [null, 1] });
    expect(await cas(null, 2)).toMatchObject({ type: 'fail', error: 'compare failed' });
    expect(await cas(2, 3)).toMatchObject({ type: 'fail', error: 'compare failed' });
    expect(await cas(1, 2)).toEqual({ type: 'ok', value: [1, 2] });
    expect(await c.invoke({ process: 0, f: 'read', key: 'c1' }, never())).toEqual({ type: 'ok', value: 2 });
    expect(await cas(2, null)).toEqual({ type: 'ok', value: [2, null] });
    expect(await c.invoke({ process: 0, f: 'read', key: 'c1' }, never())).toEqual({ type: 'ok', value: null });
    expect(await c.invoke({ process: 0, f: 'cas', key: 'c1', value: 5 }, never())).toMatchObject({ type: 'fail' });
  });

  it('set: adds are read back as one sorted array, per key', async () => {
    const c = await opened(new EtcdSetClient(opts()));
    for (const x of [5, 1, 12, 3]) {
      expect(await c.invoke({ process: 0, f: 'add', value: x }, never())).toEqual({ type: 'ok', value: x });
    }
    await c.invoke({ process: 0, f: 'add', key: 'other', value: 99 }, never());
    expect(await c.invoke({ process: 0, f: 'read' }, never())).toEqual({ type: 'ok', value: [1, 3, 5, 12] });
    expect(await c.invoke({ process: 0, f: 'read', key: 'other' }, never())).toEqual({ type: 'ok', value: [99] });
  });

  it('a request that timed out is info for a write and fail for a read', async () => {
    const c = await opened(new EtcdRegisterClient('cas-register', opts()));
    // etcd paused: the request is sent, nothing answers, our signal fires.
    etcd.process.kill('SIGSTOP');
    try {
      const write = await c.invoke({ process: 0, f: 'write', key: 't1', value: 1 }, AbortSignal.timeout(300));
      expect(write).toMatchObject({ type: 'info', error: 'timed out' });
      const cas = await c.invoke({ process: 0, f: 'cas', key: 't1', value: [1, 2] }, AbortSignal.timeout(300));
      expect(cas.type).toBe('info');
      const read = await c.invoke({ process: 0, f: 'read', key: 't1' }, AbortSignal.timeout(300));
      expect(read).toMatchObject({ type: 'fail', error: 'timed out' });
    } finally {
      etcd.process.kill('SIGCONT');
    }
    // The write was sent, then abandoned: whether etcd applied it is unknown, which is why it is info.
    const after = await c.invoke({ process: 0, f: 'read', key: 't1' }, never());
    expect(after.type).toBe('ok');
    expect([null, 1, 2]).toContain(after.value);
  });
});

describe('etcd clients without a server', () => {
  it('a refused connection is fail for writes, cas, adds and reads', async () => {
    // Nothing listens on this port (it is in our test range and never started).
    const options = opts({ clientPort: 23799 });
    const reg = await opened(new EtcdRegisterClient('cas-register', options));
    const set = await opened(new EtcdSetClient(options));
    for (const [client, f, value] of [
      [reg, 'write', 1],
      [reg, 'cas', [1, 2]],
      [reg, 'read', null],
      [set, 'add', 1],
      [set, 'read', null],
    ] as const) {
      const completion = await client.invoke({ process: 0, f, value: value as never, key: 'x' }, never());
      expect(completion.type).toBe('fail');
      expect(completion.error).toMatch(/connect failed: ECONNREFUSED/);
    }
  });

  it('an op the client does not know is a definite fail', async () => {
    const set = await opened(new EtcdSetClient(opts({ clientPort: 23799 })));
    expect(await set.invoke({ process: 0, f: 'write', value: 1 }, never())).toMatchObject({ type: 'fail' });
  });

  it('invoking before open is an error, reported as info for writes', async () => {
    const reg = new EtcdRegisterClient('register', opts());
    expect((await reg.invoke({ process: 0, f: 'write', value: 1 }, never())).type).toBe('info');
  });
});
