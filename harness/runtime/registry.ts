/**
 * The runtime kinds, by name: how to make a runtime from its config section,
 * and how `faultline heal` reaches the nodes of an existing cluster again
 * from what the runtime recorded (Runtime.attachment). To add a runtime kind,
 * write harness/runtime/<kind>/ and add it here (and its section to the
 * config schema).
 */
import type { Json } from '../history/op.js';
import type { Logger } from '../log.js';
import type { Runtime } from './runtime.js';

export interface AttachedRuntime {
  runtime: Runtime;
  /** Releases connections; never tears the cluster down. */
  close(): Promise<void>;
}

export interface RuntimeKind {
  readonly kind: string;
  /** A runtime for these (config) options; nothing is created or connected until `up`. Throws UserError for bad options. */
  create(options: unknown, log: Logger): Promise<Runtime>;
  /**
   * A runtime over nodes that are already up (from Runtime.attachment's
   * options), bringing nothing up or down. Throws UserError when the nodes
   * cannot be reached.
   */
  attach(options: { [key: string]: Json }, log: Logger): Promise<AttachedRuntime>;
}

// Loaded on demand: a command that needs no runtime (check, serve) does not pay for dockerode or ssh2.
export const RUNTIME_KINDS: readonly RuntimeKind[] = [
  {
    kind: 'netns',
    async create(options, log) {
      const { createNetnsRuntime } = await import('./netns/index.js');
      return createNetnsRuntime(options as never, log);
    },
    async attach(options, log) {
      const { createNetnsRuntime } = await import('./netns/index.js');
      // exec only needs each node's namespace name: nothing to bring up.
      return { runtime: createNetnsRuntime(options as never, log), close: async () => {} };
    },
  },
  {
    kind: 'docker',
    async create(options, log) {
      const { createDockerRuntime } = await import('./docker/index.js');
      return createDockerRuntime(options as never, log);
    },
    async attach(options, log) {
      const { attachDockerRuntime } = await import('./docker/index.js');
      return { runtime: await attachDockerRuntime(options as never, log), close: async () => {} };
    },
  },
  {
    kind: 'ssh',
    async create(options, log) {
      const { createSshRuntime } = await import('./ssh/index.js');
      return createSshRuntime(options as never, log);
    },
    async attach(options, log) {
      const { createSshRuntime } = await import('./ssh/index.js');
      const runtime = createSshRuntime(options as never, log);
      await runtime.up(); // connects, checks the nodes, mkdir -p of their node directories
      return { runtime, close: () => runtime.down() };
    },
  },
];

export function runtimeKind(kind: string): RuntimeKind | undefined {
  return RUNTIME_KINDS.find((r) => r.kind === kind);
}
