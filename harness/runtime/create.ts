/**
 * Chooses and builds the runtime a config asks for (netns by default).
 */
import type { RuntimeConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { createDockerRuntime } from './docker/index.js';
import { createNetnsRuntime } from './netns/index.js';
import type { Runtime } from './runtime.js';
import { createSshRuntime } from './ssh/index.js';

/**
 * Returns the runtime for config.kind, its options validated (nothing is
 * created or connected until `up`). Throws UserError for bad options, for
 * netns without root, and for ssh without runtime.ssh.
 */
export function createRuntime(config: RuntimeConfig, log: Logger): Runtime {
  switch (config.kind) {
    case 'netns':
      return createNetnsRuntime(config.netns, log);
    case 'docker':
      return createDockerRuntime(config.docker, log);
    case 'ssh':
      if (!config.ssh)
        throw new UserError(
          'the ssh runtime needs its nodes: set runtime.ssh.nodes in the config file, or --nodes HOST,HOST',
        );
      return createSshRuntime(config.ssh, log);
  }
}
