/** The pause fault: SIGSTOP of the SUT on some nodes, later SIGCONT of exactly the pids it stopped. */
import { z } from 'zod';
import { UserError } from '../../harness/errors.js';
import * as gen from '../../harness/generator/index.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { isPausable } from '../../targets/target.js';
import { defineFault } from '../fault.js';
import { describeNodeSpec } from '../node-spec.js';
import { DEFAULT_SPECS, nodeSpecs, pick, startStop } from '../schedule.js';
import { isObject, listed, nodesOf } from '../words.js';
import { healPause, type PausedState, pauseNemesis } from './nemesis.js';

const WINDOWS: WindowSpec[] = [
  {
    start: 'pause',
    stop: 'resume',
    label: 'pause',
    describe: (v) => (isObject(v) ? `paused ${listed(nodesOf(v.paused))}` : ''),
  },
];

export const pauseFault = defineFault({
  name: 'pause',
  description: 'SIGSTOP of the SUT on some nodes, then SIGCONT',
  packages: ['procps'],
  options: z.strictObject({ nodes: nodeSpecs.optional() }),
  windows: WINDOWS,
  build(options, ctx) {
    if (ctx.target && !isPausable(ctx.target)) {
      throw new UserError(`target ${ctx.target.name} cannot be paused`, { where: '--nemesis pause' });
    }
    const specs = options.nodes ?? DEFAULT_SPECS;
    return {
      name: 'pause',
      nemesis: pauseNemesis(),
      generator: startStop(
        ctx.intervalSeconds,
        (_c, rng) => ({ f: 'pause', value: { nodes: describeNodeSpec(pick(specs, rng)) } }),
        { f: 'resume' },
      ),
      finalGenerator: gen.nemesis({ f: 'resume' }),
      windows: WINDOWS,
    };
  },
  async heal(runtime, _nodes, record) {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return [];
    // Only recorded pids are resumed (an entry that is not a list of pids resumes nothing).
    const paused: PausedState = Object.fromEntries(
      Object.entries(record).map(([node, pids]) => [
        node,
        Array.isArray(pids) ? pids.filter((p): p is number => Number.isInteger(p)) : [],
      ]),
    );
    const resumed = await healPause(runtime, paused);
    const listed = Object.entries(resumed).map(([n, pids]) => `${n}: ${pids.join(' ') || 'none left'}`);
    return [`resumed ${listed.join('; ')}`];
  },
});
