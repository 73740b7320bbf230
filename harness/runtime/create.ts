/**
 * Chooses and builds the runtime a config asks for (netns by default).
 */
import type { RuntimeConfig } from '../config/schema.js';
import { UserError } from '../errors.js';
import type { Logger } from '../log.js';
import { runtimeKind } from './registry.js';
import type { Runtime } from './runtime.js';

/**
 * Returns the runtime for config.kind, its options validated (nothing is
 * created or connected until `up`). Throws UserError for bad options, for
 * netns without root, and for ssh without runtime.ssh.
 */
export async function createRuntime(config: RuntimeConfig, log: Logger): Promise<Runtime> {
  const section = config[config.kind];
  if (section === undefined) {
    throw new UserError(
      `the ${config.kind} runtime needs its nodes: set runtime.${config.kind}.nodes in the config file, or --nodes HOST,HOST`,
    );
  }
  const kind = runtimeKind(config.kind);
  if (!kind) throw new UserError(`unknown runtime kind ${JSON.stringify(config.kind)}`, { where: '--runtime' });
  return kind.create(section, log);
}
