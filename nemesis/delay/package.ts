/**
 * The delay fault's options as a package takes them (index.ts builds the
 * package from them).
 *
 * Config (test.nemesisOptions.delay): any DelayOptions (delayMs, jitterMs,
 * distribution, reorder, duplicate, rate, controller, limit) plus `nodes`, a
 * list of node specs the schedule picks from for each start-delay (default
 * ["all", "one", "minority"]: all links, or the links of one node or a minority).
 */
import { UserError } from '../../harness/errors.js';
import { type NodeSpec, parseNodeSpec } from '../node-spec.js';
import { type DelayOptions, parseDelayOptions } from './options.js';

export interface DelayPackageOptions extends Partial<DelayOptions> {
  nodes?: NodeSpec[];
}

export const DEFAULT_DELAY_SPECS: NodeSpec[] = ['all', 'one', 'minority'];

/**
 * Checks the package options as they come from the config (unchecked JSON).
 * Throws UserError naming `where.<option>`.
 */
export function validateDelayPackageOptions(raw: unknown, where: string): DelayPackageOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`expected an object of delay options, got ${JSON.stringify(raw)}`, { where });
  }
  const { nodes, ...rest } = raw as Record<string, unknown>;
  const opts: DelayPackageOptions = parseDelayOptions(rest, where);
  if (nodes !== undefined) {
    if (!Array.isArray(nodes) || nodes.length === 0) {
      throw new UserError(`expected a non-empty list of node specs like ["all", "one", "n1,n3"]`, {
        where: `${where}.nodes`,
      });
    }
    opts.nodes = nodes.map((spec: unknown, i) => {
      if (typeof spec !== 'string') {
        throw new UserError(`expected a node spec string, got ${JSON.stringify(spec)}`, {
          where: `${where}.nodes[${i}]`,
        });
      }
      return parseNodeSpec(spec, `${where}.nodes[${i}]`);
    });
  }
  return opts;
}
