/**
 * Debian's redis-server (and redis-sentinel, the same binary) is linked with
 * jemalloc, and libfaketime 0.9.10 cannot start inside it: its initialisation
 * calls dlsym, which allocates, which initialises jemalloc, which calls
 * clock_gettime, which re-enters libfaketime before it is ready; it breaks the
 * recursion by failing clock_gettime and Redis never comes up (libfaketime
 * issue #130, "no fix on libfaketime's end"). Measured here: redis-server under
 * the clock fault's environment printed "Cannot recover from unexpected
 * recursive calls to clock_gettime()" and never listened.
 *
 * glibc's libc_malloc_debug.so.0 (glibc 2.34 and later) defines malloc,
 * calloc, realloc, free and malloc_usable_size as glibc's own allocator (it
 * debugs nothing unless MALLOC_CHECK_ or mtrace ask it to). Preloaded in front
 * of libfaketime, those are the symbols Redis and libfaketime resolve, so
 * nothing reaches jemalloc at start-up; Redis then allocates with glibc's
 * malloc (INFO memory still says jemalloc, whose heap stays empty). Redis's
 * remaining jemalloc calls (mallctl, nallocx, malloc_stats_print) read
 * statistics and size classes and never touch a glibc pointer; active
 * defragmentation, which would, is off by default and this target never
 * turns it on. The name has no slash, so the dynamic loader finds it on any
 * node's own library path.
 */

export const GLIBC_MALLOC_PRELOAD = 'libc_malloc_debug.so.0';

/**
 * The environment to start Redis or Sentinel with: `env` unchanged when it
 * preloads no libfaketime; otherwise with glibc's allocator preloaded first.
 */
export function redisSafeEnv(env: Record<string, string>): Record<string, string> {
  const preload = env.LD_PRELOAD;
  if (preload === undefined || !preload.includes('libfaketime')) return env;
  const entries = preload.split(/[ :]+/).filter((p) => p !== '' && p !== GLIBC_MALLOC_PRELOAD);
  return { ...env, LD_PRELOAD: [GLIBC_MALLOC_PRELOAD, ...entries].join(':') };
}
