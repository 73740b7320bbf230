/**
 * What every etcd client shares: the gateway of the node it was opened on,
 * the read mode, and the key layout.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { httpUrl } from '../command.js';
import { completionForError } from '../errors.js';
import { EtcdGateway, EtcdRequestError } from '../gateway.js';
import type { EtcdOptions } from '../options.js';

/**
 * After a connection could not be made (the node is down or cut off), wait
 * this long before reporting the failure, so a worker whose node is down does
 * not spin through thousands of instant failures a second. Failed ops are
 * dropped by the checkers, so the later completion changes no verdict.
 */
export const REFUSED_BACKOFF_MS = 100;

/** All faultline keys live under this prefix. */
export const KEY_ROOT = '/faultline';

/** The etcd key of an independent key of a workload, e.g. /faultline/register/3. */
export function keyFor(workload: string, key: Json | undefined): string {
  return `${KEY_ROOT}/${workload}/${JSON.stringify(key ?? null)}`;
}

export abstract class EtcdConnection {
  protected readonly options: EtcdOptions;
  private current: EtcdGateway | undefined;
  /** With readFrom "any": a gateway per node, made on first use. */
  private readonly others = new Map<string, EtcdGateway>();

  /** `nodes`: every node of the cluster, where reads may go with readFrom "any". */
  constructor(
    options: EtcdOptions,
    private readonly nodes: readonly NodeInfo[] = [],
  ) {
    this.options = options;
  }

  /** Talks to the node's client port. Opening sends nothing; the connection is made by the first request and kept. */
  async open(node: NodeInfo): Promise<void> {
    this.current?.close();
    this.current = new EtcdGateway(httpUrl(node.address, this.options.clientPort));
  }

  async close(): Promise<void> {
    this.current?.close();
    this.current = undefined;
    for (const g of this.others.values()) g.close();
    this.others.clear();
  }

  /**
   * Where a read goes: the client's own node, or with readFrom "any" a
   * random node of the cluster, named so the completion can record it.
   */
  protected readGateway(): { gateway: EtcdGateway; node: string | undefined } {
    if (this.options.readFrom !== 'any' || this.nodes.length === 0) return { gateway: this.gateway, node: undefined };
    const node = this.nodes[Math.floor(Math.random() * this.nodes.length)]!;
    let gateway = this.others.get(node.name);
    if (!gateway) {
      gateway = new EtcdGateway(httpUrl(node.address, this.options.clientPort));
      this.others.set(node.name, gateway);
    }
    return { gateway, node: node.name };
  }

  protected get gateway(): EtcdGateway {
    if (!this.current) throw new Error('etcd client used before open()');
    return this.current;
  }

  protected get serializable(): boolean {
    return this.options.readMode === 'serializable';
  }

  abstract invoke(op: ClientOp, signal: AbortSignal): Promise<Completion>;

  /** The completion for an error thrown while performing `f` (errors.ts decides fail or info). */
  protected async completionFor(err: unknown, f: string, signal: AbortSignal): Promise<Completion> {
    const completion = completionForError(err, f);
    if (err instanceof EtcdRequestError && err.kind === 'refused' && !signal.aborted) {
      await sleep(REFUSED_BACKOFF_MS, undefined, { signal }).catch(() => {});
    }
    return completion;
  }
}

/** A completion for an op this client does not know: definite, nothing was sent. */
export function unknownOp(workload: string, f: string): Completion {
  return { type: 'fail', error: `the etcd ${workload} client has no operation ${JSON.stringify(f)}` };
}
