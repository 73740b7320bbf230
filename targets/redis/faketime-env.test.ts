import { describe, expect, it } from 'vitest';
import { GLIBC_MALLOC_PRELOAD, redisSafeEnv } from './faketime-env.js';

const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

describe("Redis's environment under libfaketime", () => {
  it("puts glibc's allocator in front of libfaketime, once", () => {
    const env = { LD_PRELOAD: FAKETIME, FAKETIME_NO_CACHE: '1' };
    expect(redisSafeEnv(env)).toEqual({ LD_PRELOAD: `${GLIBC_MALLOC_PRELOAD}:${FAKETIME}`, FAKETIME_NO_CACHE: '1' });
    expect(redisSafeEnv(redisSafeEnv(env))).toEqual(redisSafeEnv(env));
    expect(redisSafeEnv({ LD_PRELOAD: `libx.so ${FAKETIME}` }).LD_PRELOAD).toBe(
      `${GLIBC_MALLOC_PRELOAD}:libx.so:${FAKETIME}`,
    );
  });

  it('leaves an environment without libfaketime alone', () => {
    expect(redisSafeEnv({})).toEqual({});
    expect(redisSafeEnv({ LD_PRELOAD: 'libx.so', A: 'b' })).toEqual({ LD_PRELOAD: 'libx.so', A: 'b' });
  });
});
