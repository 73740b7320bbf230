/**
 * Heal on SIGINT and SIGTERM: the run installs this around its lifecycle
 * (and heals in `finally` on normal exit and on error), so faults never
 * outlive the controller unless it is killed with SIGKILL (then `faultline heal`).
 */
import type { Logger } from '../harness/log.js';
import { silentLogger } from '../harness/log.js';

/**
 * Wraps `fn` so concurrent calls share one run: a call while it runs gets the
 * same promise; a call after it finished runs it again (heals are idempotent).
 */
export function shared(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= fn().finally(() => {
      running = undefined;
    });
    return running;
  };
}

/**
 * On SIGINT or SIGTERM runs `healAll` once, then exits with 130 / 143 (128 +
 * signal number), after `exit()` if given. A second signal while healing is
 * logged and ignored: healing is what stands between the nodes and a mess.
 * Returns a function that removes the handlers.
 */
export function installHealOnSignals(
  healAll: () => Promise<void>,
  options: { log?: Logger; exit?: (code: number) => void } = {},
): () => void {
  const log = options.log ?? silentLogger;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const heal = shared(healAll);
  let healing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (healing) {
      log.warn(`${signal} again: still healing faults, please wait`);
      return;
    }
    healing = true;
    log.warn(`${signal}: healing every fault before exiting`);
    heal().then(
      () => exit(signal === 'SIGINT' ? 130 : 143),
      (err: unknown) => {
        log.error(`healing after ${signal} failed: ${err instanceof Error ? err.message : String(err)}; run \`faultline heal\``);
        exit(signal === 'SIGINT' ? 130 : 143);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
