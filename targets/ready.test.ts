import { describe, expect, it } from 'vitest';
import { waitFor, waitUntilReady } from './ready.js';

describe('waitUntilReady', () => {
  it('resolves once the probe answers true, asking no more after (here on the 3rd try)', async () => {
    let calls = 0;
    await waitUntilReady('db', 60_000, async () => (++calls === 3 ? true : `try ${calls}`), 1);
    expect(calls).toBe(3);
  });

  it('throws with the last reason when the probe never answers true', async () => {
    let calls = 0;
    const error = await waitUntilReady('db cluster', 20, async () => `only ${++calls} of 3 members`, 1).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`db cluster not ready after 20 ms: only ${calls} of 3 members`);
    expect(calls).toBeGreaterThanOrEqual(1);
  });

  it('takes a thrown error as the reason, and keeps it as the cause', async () => {
    const refused = new Error('connect ECONNREFUSED 10.0.0.2:5432');
    const error = (await waitUntilReady(
      'postgres',
      10,
      async () => {
        throw refused;
      },
      1,
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('postgres not ready after 10 ms: connect ECONNREFUSED 10.0.0.2:5432');
    expect(error.cause).toBe(refused);
  });

  it('asks at least once even with no time at all, and resolves when that answer is true', async () => {
    let calls = 0;
    await waitUntilReady('db', 0, async () => {
      calls++;
      return true;
    });
    expect(calls).toBe(1);
  });
});

describe('waitFor', () => {
  it('resolves once the check is true (the 3rd time here)', async () => {
    let calls = 0;
    await waitFor('n1: etcd to stop', 60_000, async () => ++calls === 3, 1);
    expect(calls).toBe(3);
  });

  it('throws naming what it waited for when the check stays false', async () => {
    await expect(waitFor('n1: etcd to stop', 10, async () => false, 1)).rejects.toThrow(
      'n1: etcd to stop: not after 10 ms',
    );
  });
});
