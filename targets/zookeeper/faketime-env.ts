/**
 * The clock fault runs the SUT with FAKETIME_NO_CACHE=1: libfaketime reads
 * the node's offset file on every clock call. A JVM calls the clock all the
 * time (System.currentTimeMillis for ZooKeeper's timestamps and log lines,
 * System.nanoTime for every timeout, park and GC), and with the file read on
 * each call it crawls. Measured on this host (OpenJDK 17, libfaketime
 * 0.9.10, 200,000 calls): currentTimeMillis 38 ms without libfaketime,
 * 18,560 ms with no-cache, 581 ms with a cache of 1 s; nanoTime 35, 674 and
 * 326 ms. Three servers with no-cache on a loaded two-core host did not
 * form an ensemble within 90 s.
 *
 * So ZooKeeper runs with libfaketime's cache instead: the offset file is read
 * at most once a second (FAKETIME_CACHE_DURATION=1). A bump of the clock
 * takes effect on a server within about a second; a strobe faster than that
 * is not reproduced on ZooKeeper (the servers see some of its flips, late).
 */

/** Seconds libfaketime may keep an offset before reading the file again. */
export const ZOOKEEPER_FAKETIME_CACHE_SECONDS = 1;

/**
 * The environment to start a ZooKeeper server with: `env` unchanged when it
 * preloads no libfaketime; otherwise with the cache described above in place of no-cache.
 */
export function zookeeperClockEnv(env: Record<string, string>): Record<string, string> {
  if (!(env.LD_PRELOAD ?? '').includes('libfaketime')) return env;
  const { FAKETIME_NO_CACHE: _noCache, ...rest } = env;
  return { ...rest, FAKETIME_CACHE_DURATION: String(ZOOKEEPER_FAKETIME_CACHE_SECONDS) };
}
