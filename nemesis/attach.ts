/**
 * Reaching the nodes of an existing cluster again, for `faultline heal`
 * after the controller died: a runtime object made from the recorded kind and
 * options, WITHOUT bringing anything up (netns and docker exec only need the
 * namespace or container name; ssh connects, which creates nothing).
 */
import type { Logger } from '../harness/log.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import { UserError } from '../harness/errors.js';
import type { RuntimeRecord } from './heal-state.js';

export interface AttachedRuntime {
  runtime: Runtime;
  /** Releases connections; never tears the cluster down. */
  close(): Promise<void>;
}

/**
 * Throws UserError when the record has no options or names an unknown runtime kind.
 */
export async function attachRuntime(record: RuntimeRecord, log: Logger, where: string): Promise<AttachedRuntime> {
  const options = record.options;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new UserError(`the heal state does not record the ${record.kind} runtime's options, so its nodes cannot be reached`, { where });
  }
  switch (record.kind) {
    case 'netns': {
      const { createNetnsRuntime } = await import('../harness/runtime/netns/index.js');
      return { runtime: createNetnsRuntime(options, log), close: async () => {} };
    }
    case 'docker': {
      const { createDockerRuntime } = await import('../harness/runtime/docker/index.js');
      return { runtime: createDockerRuntime(options, log), close: async () => {} };
    }
    case 'ssh': {
      const { createSshRuntime } = await import('../harness/runtime/ssh/index.js');
      const runtime = createSshRuntime(options as never, log);
      await runtime.up(); // connects and checks the nodes; creates nothing
      return { runtime, close: () => runtime.down() };
    }
    default:
      throw new UserError(`unknown runtime kind ${JSON.stringify(record.kind)}`, { where });
  }
}
