/**
 * The membership fault: members removed from the cluster (their data wiped)
 * and added back as new members, within a quorum-preserving size unless told
 * otherwise. The members after each change are recorded in the history.
 */
import { z } from 'zod';
import { int } from '../../harness/config/fields.js';
import { UserError } from '../../harness/errors.js';
import * as gen from '../../harness/generator/index.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { isReconfigurable } from '../../targets/target.js';
import { defineFault } from '../fault.js';
import { startStop } from '../schedule.js';
import { isObject, listed } from '../words.js';
import { membershipNemesis } from './nemesis.js';

const WINDOWS: WindowSpec[] = [
  {
    start: 'remove-member',
    stop: 'add-member',
    label: 'membership',
    describe: (v) =>
      isObject(v) && Array.isArray(v.removed) && Array.isArray(v.members)
        ? `removed ${listed(v.removed.map(String))}, members ${listed(v.members.map(String))}`
        : '',
  },
];

export const membershipFault = defineFault({
  name: 'membership',
  description: 'members removed from the cluster (data wiped) and added back as new members',
  packages: [],
  options: z.strictObject({
    /** Never fewer members than this (default: a majority of the nodes). */
    minMembers: int(1).optional(),
    /** At most this many members removed at once (default: as many as minMembers allows). */
    maxRemoved: int(1).optional(),
  }),
  windows: WINDOWS,
  build(options, ctx) {
    if (ctx.target && !isReconfigurable(ctx.target)) {
      throw new UserError(`target ${ctx.target.name} cannot change its membership`, { where: '--nemesis membership' });
    }
    const nodes = ctx.nodeCount ?? 5;
    const min = options.minMembers ?? Math.floor(nodes / 2) + 1;
    if (min >= nodes) {
      throw new UserError(`${min} of ${nodes} nodes leaves no member to remove`, {
        where: 'test.nemesisOptions.membership.minMembers',
      });
    }
    const most = Math.max(1, Math.min(options.maxRemoved ?? nodes - min, nodes - min));
    return {
      name: 'membership',
      nemesis: membershipNemesis({ minMembers: min }),
      generator: startStop(
        ctx.intervalSeconds,
        (_c, rng) => ({ f: 'remove-member', value: { count: 1 + rng.int(most) } }),
        { f: 'add-member' },
      ),
      finalGenerator: gen.nemesis({ f: 'add-member' }),
      windows: WINDOWS,
    };
  },
  // Adding members back needs the target: without it (a target this faultline does not know) heal names them.
  async heal(_runtime, _nodes, record, target) {
    const removed =
      record !== null && typeof record === 'object' && !Array.isArray(record) && Array.isArray(record.removed)
        ? record.removed.map(String)
        : [];
    if (removed.length === 0) return [];
    if (target && isReconfigurable(target.target)) {
      for (const node of removed) await target.target.addMember(target.ctx, node);
      return [`added ${removed.join(', ')} back as members of the ${target.target.name} cluster`];
    }
    return [
      `the members on ${removed.join(', ')} were removed from the cluster; heal cannot add them back without ` +
        'knowing the target (run the test again, or tear the cluster down)',
    ];
  },
});
