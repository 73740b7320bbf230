/**
 * The delay fault: latency, jitter, reordering, duplication and a rate limit
 * on some links, with netem where the kernel has it and else a userspace
 * packet scheduler (iptables NFQUEUE to a small C helper in each node; see
 * README.md). Each start-delay measures round trips before and after and
 * records the measured delay next to the requested one.
 */
import { z } from 'zod';
import * as gen from '../../harness/generator/index.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { defineFault } from '../fault.js';
import { describeNodeSpec } from '../node-spec.js';
import { pick, startStop } from '../schedule.js';
import { isObject } from '../words.js';
import { healDelayFromState } from './heal.js';
import { delayNemesis } from './nemesis.js';
import { DEFAULT_DELAY_SPECS, type DelayPackageOptions, validateDelayPackageOptions } from './package.js';

const WINDOWS: WindowSpec[] = [
  {
    start: 'start-delay',
    stop: 'stop-delay',
    label: 'delay',
    describe: (v) =>
      isObject(v) && Array.isArray(v.links)
        ? `${String(v.delayMs)} ± ${String(v.jitterMs)} ms on ${v.links.length} link(s)` +
          (typeof v.measuredDelayMs === 'number' ? `, measured ${v.measuredDelayMs} ms` : '')
        : '',
  },
];

export const delayFault = defineFault({
  name: 'delay',
  description: 'latency, jitter, reordering, duplication and a rate limit on links (netem, or NFQUEUE and a helper)',
  packages: ['iptables', 'iproute2'],
  // The delay options have their own validator (shared with start-delay op values), naming each option;
  // its UserError passes through the schema as it is.
  options: z
    .unknown()
    .transform((raw): DelayPackageOptions => validateDelayPackageOptions(raw ?? {}, 'test.nemesisOptions.delay')),
  windows: WINDOWS,
  build(options, ctx) {
    const { nodes, ...defaults } = options;
    const specs = nodes ?? DEFAULT_DELAY_SPECS;
    return {
      name: 'delay',
      nemesis: delayNemesis(defaults),
      generator: startStop(
        ctx.intervalSeconds,
        (_c, rng) => ({ f: 'start-delay', value: { nodes: describeNodeSpec(pick(specs, rng)) } }),
        { f: 'stop-delay' },
      ),
      finalGenerator: gen.nemesis({ f: 'stop-delay' }),
      windows: WINDOWS,
    };
  },
  heal: (runtime, nodes) => healDelayFromState(runtime, nodes),
});
