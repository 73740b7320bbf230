/** The kill fault: SIGKILL of the SUT on some nodes, later a restart on its existing data. */
import { z } from 'zod';
import { UserError } from '../../harness/errors.js';
import * as gen from '../../harness/generator/index.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { isKillable } from '../../targets/target.js';
import { defineFault } from '../fault.js';
import { describeNodeSpec } from '../node-spec.js';
import { DEFAULT_SPECS, nodeSpecs, pick, startStop } from '../schedule.js';
import { isObject, listed, nodesOf } from '../words.js';
import { killNemesis } from './nemesis.js';

const WINDOWS: WindowSpec[] = [
  {
    start: 'kill',
    stop: 'start',
    label: 'kill',
    describe: (v) => (isObject(v) ? `killed ${listed(nodesOf(v.killed))}` : ''),
  },
];

export const killFault = defineFault({
  name: 'kill',
  description: 'SIGKILL of the SUT on one / minority / majority / all / primaries, then a restart',
  packages: ['procps'],
  options: z.strictObject({ nodes: nodeSpecs.optional() }),
  windows: WINDOWS,
  build(options, ctx) {
    if (ctx.target && !isKillable(ctx.target)) {
      throw new UserError(`target ${ctx.target.name} cannot be killed`, { where: '--nemesis kill' });
    }
    const specs = options.nodes ?? DEFAULT_SPECS;
    return {
      name: 'kill',
      nemesis: killNemesis(),
      generator: startStop(
        ctx.intervalSeconds,
        (_c, rng) => ({ f: 'kill', value: { nodes: describeNodeSpec(pick(specs, rng)) } }),
        { f: 'start' },
      ),
      finalGenerator: gen.nemesis({ f: 'start' }),
      windows: WINDOWS,
    };
  },
  // Restarting needs the target: without it (a target this faultline does not know) heal names the nodes.
  async heal(_runtime, _nodes, record, target) {
    const down =
      record !== null && typeof record === 'object' && !Array.isArray(record) && Array.isArray(record.nodes)
        ? record.nodes.map(String)
        : [];
    if (down.length === 0) return [];
    if (target) {
      for (const node of down) await target.target.start(target.ctx, node);
      return [`started ${target.target.name} again on ${down.join(', ')}`];
    }
    return [
      `the SUT was killed on ${down.join(', ')}; heal cannot restart it without knowing the target ` +
        '(run the test again or tear the cluster down)',
    ];
  },
});
