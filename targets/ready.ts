/**
 * The readiness loop of the targets' awaitReady: ask until the cluster is
 * ready, keep the last reason it was not, and give that reason when time is up.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * What a probe answers: true when ready, else why not. A probe that throws
 * counts as not ready, its error's message being the reason.
 */
export type ReadinessProbe = () => Promise<true | string>;

/**
 * Calls `probe` every `intervalMs` until it answers true. Resolves then;
 * throws `<what> not ready after <timeoutMs> ms: <last reason>` (the last
 * probe error as `cause`, when it threw) once `timeoutMs` has passed. The
 * probe is asked at least once.
 */
export async function waitUntilReady(
  what: string,
  timeoutMs: number,
  probe: ReadinessProbe,
  intervalMs = 200,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reason = 'not checked yet';
  let cause: unknown;
  for (;;) {
    try {
      const answer = await probe();
      if (answer === true) return;
      reason = answer;
      cause = undefined;
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
      cause = err;
    }
    if (Date.now() >= deadline) throw new Error(`${what} not ready after ${timeoutMs} ms: ${reason}`, { cause });
    await sleep(intervalMs);
  }
}

/** Polls `check` every `intervalMs` until it returns true; throws `<what>: not after <timeoutMs> ms` once time is up. */
export async function waitFor(
  what: string,
  timeoutMs: number,
  check: () => Promise<boolean>,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}
