/**
 * Reaching the nodes of an existing cluster again, for `faultline heal`
 * after the controller died: a runtime object made from the recorded kind and
 * options, WITHOUT bringing the cluster up: netns exec only needs the
 * namespace name; docker looks up the running containers by name; ssh runs
 * its `up` (connects, checks the nodes and creates each node's directory with
 * mkdir -p, which is already there on a cluster a test used).
 */

import { UserError } from '../harness/errors.js';
import type { Json } from '../harness/history/op.js';
import type { Logger } from '../harness/log.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import type { RuntimeRecord } from './heal-state.js';

export interface AttachedRuntime {
  runtime: Runtime;
  /** Releases connections; never tears the cluster down. */
  close(): Promise<void>;
}

type JsonObject = { [key: string]: Json };
const isObject = (x: Json | undefined): x is JsonObject =>
  x !== null && x !== undefined && typeof x === 'object' && !Array.isArray(x);

/**
 * The runtime's own options from a record: either the options themselves, or
 * a whole config section `{ kind, netns: {...}, docker: {...} }` (then the
 * part for the recorded kind). Undefined when there are none.
 */
export function runtimeOptions(record: RuntimeRecord): JsonObject | undefined {
  const options = record.options;
  if (!isObject(options)) return undefined;
  const section = options[record.kind];
  return isObject(section) ? section : options;
}

/**
 * Throws UserError when the record has no options or names an unknown runtime kind.
 */
export async function attachRuntime(record: RuntimeRecord, log: Logger, where: string): Promise<AttachedRuntime> {
  const options = runtimeOptions(record);
  if (options === undefined) {
    throw new UserError(
      `the heal state does not record the ${record.kind} runtime's options, so its nodes cannot be reached`,
      { where },
    );
  }
  switch (record.kind) {
    case 'netns': {
      const { createNetnsRuntime } = await import('../harness/runtime/netns/index.js');
      // The recorded node names win: exec needs each node's namespace name.
      return {
        runtime: createNetnsRuntime({ ...options, nodes: record.nodes.map((n) => n.name) }, log),
        close: async () => {},
      };
    }
    case 'docker': {
      const { attachDockerRuntime } = await import('../harness/runtime/docker/index.js');
      // The recorded node names win: each container is named after its node.
      return {
        runtime: await attachDockerRuntime({ ...options, nodes: record.nodes.map((n) => n.name) }, log),
        close: async () => {},
      };
    }
    case 'ssh': {
      const { createSshRuntime } = await import('../harness/runtime/ssh/index.js');
      const runtime = createSshRuntime(options as never, log);
      await runtime.up(); // connects, checks the nodes, mkdir -p of their node directories
      return { runtime, close: () => runtime.down() };
    }
    default:
      throw new UserError(`unknown runtime kind ${JSON.stringify(record.kind)}`, { where });
  }
}
