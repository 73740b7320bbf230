/**
 * What every etcd client shares: the gateway of the node it was opened on,
 * the read mode, and the key layout.
 */
import type { Json } from '../../../harness/history/op.js';
import type { NodeInfo } from '../../../harness/runtime/runtime.js';
import type { ClientOp, Completion } from '../../../workloads/client.js';
import { EtcdGateway } from '../gateway.js';
import type { EtcdOptions } from '../options.js';

/** All faultline keys live under this prefix. */
export const KEY_ROOT = '/faultline';

/** The etcd key of an independent key of a workload, e.g. /faultline/register/3. */
export function keyFor(workload: string, key: Json | undefined): string {
  return `${KEY_ROOT}/${workload}/${JSON.stringify(key ?? null)}`;
}

export abstract class EtcdConnection {
  protected readonly options: EtcdOptions;
  private current: EtcdGateway | undefined;

  constructor(options: EtcdOptions) {
    this.options = options;
  }

  /** Talks to the node's client port. Opening sends nothing; the connection is made by the first request and kept. */
  async open(node: NodeInfo): Promise<void> {
    this.current?.close();
    this.current = new EtcdGateway(`http://${urlHost(node.address)}:${this.options.clientPort}`);
  }

  async close(): Promise<void> {
    this.current?.close();
    this.current = undefined;
  }

  protected get gateway(): EtcdGateway {
    if (!this.current) throw new Error('etcd client used before open()');
    return this.current;
  }

  protected get serializable(): boolean {
    return this.options.readMode === 'serializable';
  }

  abstract invoke(op: ClientOp, signal: AbortSignal): Promise<Completion>;
}

/** IPv6 addresses need brackets in a URL. */
function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** A completion for an op this client does not know: definite, nothing was sent. */
export function unknownOp(workload: string, f: string): Completion {
  return { type: 'fail', error: `the etcd ${workload} client has no operation ${JSON.stringify(f)}` };
}
