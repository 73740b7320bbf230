/**
 * What every Redis client shares: a connection that follows the primary
 * (writes, and reads with readFrom "primary"), direct connections to nodes
 * for reads with readFrom "own" or "any", the WAIT after writes, and the key
 * layout. Every completion names the node that served it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { Client, ClientOp, Completion } from '../../../workloads/client.js';
import { abortable, connectedNode, nodeConnection, primaryConnection, whenReady } from '../connections.js';
import { completionForError, isNotSent, WaitFailedError, WaitShortfallError } from '../errors.js';
import type { RedisOptions } from '../options.js';

/**
 * After an op that was never sent (no connection), wait this long before
 * reporting it, so a worker whose node is down does not spin through
 * thousands of instant failures a second. Failed ops are dropped by the
 * checkers, so the later completion changes no verdict.
 */
export const NOT_SENT_BACKOFF_MS = 100;

/** The Redis key of an independent key of a workload, e.g. faultline:register:3. */
export function keyFor(workload: string, key: Json | undefined): string {
  return `faultline:${workload}:${JSON.stringify(key ?? null)}`;
}

/** What a command answered, and the node that answered it. */
export interface Served<T> {
  result: T;
  node: string | undefined;
}

export abstract class RedisClient implements Client {
  private own: NodeInfo | undefined;
  private primary: Redis | undefined;
  /** Direct connections by node name, made on first use. */
  private readonly direct = new Map<string, Redis>();

  /** `nodes`: every node of the cluster (its sentinels, and where reads may go). */
  constructor(
    protected readonly options: RedisOptions,
    private readonly nodes: readonly NodeInfo[],
  ) {}

  /** Starts finding the primary through the sentinels (own node's first); resolves at once. */
  async open(node: NodeInfo): Promise<void> {
    await this.close();
    this.own = node;
    this.primary = primaryConnection(node, this.nodes, this.options);
  }

  async close(): Promise<void> {
    this.primary?.disconnect();
    this.primary = undefined;
    for (const c of this.direct.values()) c.disconnect();
    this.direct.clear();
  }

  abstract invoke(op: ClientOp, signal: AbortSignal): Promise<Completion>;

  /**
   * Runs a write on the primary, then (with waitReplicas) WAITs for the
   * replicas. Throws NotSentError, a Redis error, WaitShortfallError or
   * WaitFailedError (errors.ts decides what each means).
   */
  protected async write<T>(signal: AbortSignal, run: (redis: Redis) => Promise<T>): Promise<Served<T>> {
    const redis = this.primaryOrThrow();
    await whenReady(redis, 'the primary', signal);
    const node = connectedNode(redis, this.nodes);
    const result = await abortable(run(redis), signal).catch((err: unknown) => {
      throw withNode(err, node);
    });
    const wanted = this.options.waitReplicas;
    if (wanted > 0) {
      let replicated: number;
      try {
        replicated = await abortable(redis.wait(wanted, this.options.waitTimeoutMs), signal);
      } catch (err) {
        throw withNode(new WaitFailedError(err), node);
      }
      if (replicated < wanted) throw withNode(new WaitShortfallError(replicated, wanted), node);
    }
    return { result, node };
  }

  /** Runs a read where readFrom sends it: the primary, the client's own node, or a random node. */
  protected async read<T>(signal: AbortSignal, run: (redis: Redis) => Promise<T>): Promise<Served<T>> {
    const { redis, what, target } = this.readConnection();
    await whenReady(redis, what, signal).catch((err: unknown) => {
      throw withNode(err, target);
    });
    const node = target ?? connectedNode(redis, this.nodes);
    const result = await abortable(run(redis), signal).catch((err: unknown) => {
      throw withNode(err, node);
    });
    return { result, node };
  }

  /** The completion for an error thrown while performing `f` (errors.ts decides fail or info), with its node. */
  protected async completionFor(err: unknown, f: string, signal: AbortSignal): Promise<Completion> {
    const completion = completionForError(err, f);
    const node = (err as { node?: unknown }).node;
    if (isNotSent(err) && !signal.aborted) {
      await sleep(NOT_SENT_BACKOFF_MS, undefined, { signal }).catch(() => {});
    }
    return typeof node === 'string' ? { ...completion, node } : completion;
  }

  private primaryOrThrow(): Redis {
    if (!this.primary) throw new Error('Redis client used before open()');
    return this.primary;
  }

  /** The connection a read goes to; `target` names the node when it is a direct one. */
  private readConnection(): { redis: Redis; what: string; target?: string } {
    const { readFrom } = this.options;
    if (readFrom === 'primary') return { redis: this.primaryOrThrow(), what: 'the primary' };
    const target = readFrom === 'own' ? this.own : this.nodes[Math.floor(Math.random() * this.nodes.length)];
    if (!target) throw new Error('Redis client used before open()');
    let redis = this.direct.get(target.name);
    if (!redis) {
      redis = nodeConnection(target, this.options);
      this.direct.set(target.name, redis);
    }
    return { redis, what: target.name, target: target.name };
  }
}

/** The error with the node that was asked attached (for the completion's node). */
function withNode(err: unknown, node: string | undefined): unknown {
  if (node !== undefined && err instanceof Error) Object.assign(err, { node });
  return err;
}

/** A completion for an op this client does not know: definite, nothing was sent. */
export function unknownOp(workload: string, f: string): Completion {
  return { type: 'fail', error: `the Redis ${workload} client has no operation ${JSON.stringify(f)}` };
}

/** A stored JSON text parsed, or undefined when it is not JSON. */
export function parseStored(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}
