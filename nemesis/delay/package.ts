/**
 * The delay fault as a package (a nemesis, its start/stop schedule and its
 * final heal), in the style of nemesis/packages.ts, for `--nemesis delay`.
 *
 * Config (test.nemesisOptions.delay): any DelayOptions (delayMs, jitterMs,
 * distribution, reorder, duplicate, rate, controller, limit) plus `nodes`, a
 * list of node specs the schedule picks from for each start-delay (default
 * ["all", "one", "minority"]: all links, or the links of one node or a minority).
 */
import { UserError } from '../../harness/errors.js';
import type { Generator } from '../../harness/generator/index.js';
import * as gen from '../../harness/generator/index.js';
import type { NemesisPackage } from '../nemesis.js';
import { describeNodeSpec, type NodeSpec, parseNodeSpec } from '../node-spec.js';
import { delayNemesis } from './nemesis.js';
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

/**
 * The delay package: after a quiet `intervalSeconds`, start-delay (on links
 * picked by a random spec of `nodes`) and stop-delay alternate, `intervalSeconds`
 * apart on average; the final generator stops the delay. Throws UserError for
 * bad options.
 */
export function delayPackage(opts: { intervalSeconds: number; delay?: DelayPackageOptions }): NemesisPackage {
  const { nodes, ...options } = validateDelayPackageOptions(opts.delay ?? {}, 'test.nemesisOptions.delay');
  const specs = nodes ?? DEFAULT_DELAY_SPECS;
  const interval = opts.intervalSeconds;
  const start: gen.OpFn = (_c, rng) => ({
    f: 'start-delay',
    value: { nodes: describeNodeSpec(specs[rng.int(specs.length)]!) },
  });
  const generator: Generator = gen.nemesis([
    gen.sleep(interval),
    gen.stagger(interval, gen.flipFlop(start, gen.repeat({ f: 'stop-delay' }))),
  ]);
  return {
    name: 'delay',
    nemesis: delayNemesis(options),
    generator,
    finalGenerator: gen.nemesis({ f: 'stop-delay' }),
    windows: [{ start: 'start-delay', stop: 'stop-delay', label: 'delay' }],
  };
}
