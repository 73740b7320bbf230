/**
 * ioredis connections as faultline's clients need them: never queue a
 * command while disconnected, never resend one after a reconnect (a resent
 * write could apply twice, or after we recorded it as failed), and reconnect
 * on their own, so a client follows failovers.
 *
 * - `primaryConnection`: finds the primary through the sentinels, asking the
 *   sentinel on the client's own node first. Under a partition a client whose
 *   node is cut off with the old primary keeps hearing from its sentinel that
 *   the old primary leads, and keeps writing there: the classic "primary
 *   isolated with a minority of clients". It listens for failovers on every
 *   sentinel (ioredis's failover detector) and reconnects when one is
 *   announced, and when a write is refused with READONLY (its primary was
 *   demoted).
 * - `nodeConnection`: straight to one node, whatever its role (reads from replicas).
 */
import { type RedisOptions as IoRedisOptions, Redis } from 'ioredis';
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import { MASTER_NAME } from './config.js';
import { NotSentError, TimedOutError } from './errors.js';
import type { RedisOptions } from './options.js';

/** Wait between reconnection attempts. */
const RECONNECT_MS = 100;
/** Wait before asking the sentinels again when none answered. */
const SENTINEL_RETRY_MS = 200;
/** How long a connection attempt (or a sentinel's answer) may take. */
const CONNECT_TIMEOUT_MS = 1_000;
/**
 * How long an op waits for its connection to become ready before giving up
 * without sending anything (a definite failure). Short, so the op ends well
 * within the interpreter's timeout.
 */
export const READY_WAIT_MS = 500;

const COMMON: IoRedisOptions = {
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 0,
  enableReadyCheck: true,
  connectTimeout: CONNECT_TIMEOUT_MS,
  retryStrategy: () => RECONNECT_MS,
  // A demoted primary refuses writes with READONLY: find the primary again (the refused command is not resent).
  reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
};

/** The nodes in order for `own`: its own first, then the others in cluster order. */
export function ownFirst(own: NodeInfo, nodes: readonly NodeInfo[]): NodeInfo[] {
  return [...nodes.filter((n) => n.name === own.name), ...nodes.filter((n) => n.name !== own.name)];
}

/** A connection to whichever node the sentinels name primary, asking `own`'s sentinel first. */
export function primaryConnection(own: NodeInfo, nodes: readonly NodeInfo[], options: RedisOptions): Redis {
  const redis = new Redis({
    ...COMMON,
    sentinels: ownFirst(own, nodes).map((n) => ({ host: n.address, port: options.sentinelPort })),
    name: MASTER_NAME,
    role: 'master',
    // We list every sentinel; learning more from them would reorder the list.
    updateSentinels: false,
    sentinelRetryStrategy: () => SENTINEL_RETRY_MS,
    sentinelCommandTimeout: CONNECT_TIMEOUT_MS,
    failoverDetector: true,
    sentinelReconnectStrategy: () => 500,
  });
  quiet(redis);
  return redis;
}

/** A connection straight to `node`'s Redis server. */
export function nodeConnection(node: NodeInfo, options: RedisOptions): Redis {
  const redis = new Redis({ ...COMMON, host: node.address, port: options.redisPort });
  quiet(redis);
  return redis;
}

/** ioredis reports connection trouble as 'error' events; an unheard one would crash the process. */
function quiet(redis: Redis): void {
  redis.on('error', () => {});
}

/**
 * Resolves once `redis` is ready for commands. Throws NotSentError when it
 * is not within READY_WAIT_MS or the signal fires first: nothing was sent.
 */
export async function whenReady(redis: Redis, what: string, signal: AbortSignal): Promise<void> {
  if (redis.status === 'ready') return;
  // 'end': ioredis gave up on this connection (seen after a killed primary's failover): start it again.
  if (redis.status === 'wait' || redis.status === 'end') redis.connect().catch(() => {});
  await new Promise<void>((resolve, reject) => {
    const done = (err?: Error) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onAbort = () => done(new NotSentError(`not connected to ${what} (timed out waiting)`));
    const timer = setTimeout(
      () => done(new NotSentError(`not connected to ${what} (status ${redis.status})`)),
      READY_WAIT_MS,
    );
    redis.on('ready', onReady);
    signal.addEventListener('abort', onAbort);
    if (signal.aborted) onAbort();
  });
}

/** `promise`, or a TimedOutError when the signal fires first (the command may still run). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => {}); // a late rejection after the abort is expected
  if (signal.aborted) return Promise.reject(new TimedOutError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TimedOutError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** The node a connection is talking to now, by its address; undefined when not connected. */
export function connectedNode(redis: Redis, nodes: readonly NodeInfo[]): string | undefined {
  const address = redis.stream?.remoteAddress?.replace(/^::ffff:/, '');
  return nodes.find((n) => n.address === address)?.name;
}
