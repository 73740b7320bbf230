import { describe, expect, it } from 'vitest';
import { zookeeperClockEnv } from './faketime-env.js';

const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

describe("ZooKeeper's environment under libfaketime", () => {
  it('reads the offset file at most once a second instead of on every clock call', () => {
    const env = { LD_PRELOAD: FAKETIME, FAKETIME_TIMESTAMP_FILE: '/n1/offset', FAKETIME_NO_CACHE: '1' };
    expect(zookeeperClockEnv(env)).toEqual({
      LD_PRELOAD: FAKETIME,
      FAKETIME_TIMESTAMP_FILE: '/n1/offset',
      FAKETIME_CACHE_DURATION: '1',
    });
  });

  it('leaves an environment without libfaketime alone', () => {
    expect(zookeeperClockEnv({})).toEqual({});
    expect(zookeeperClockEnv({ FAKETIME_NO_CACHE: '1' })).toEqual({ FAKETIME_NO_CACHE: '1' });
  });
});
