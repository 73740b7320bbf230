/** The partition fault: iptables DROP inside the nodes, in shapes (halves, one, bridge, ...); never the controller. */
import { z } from 'zod';
import { UserError } from '../../harness/errors.js';
import * as gen from '../../harness/generator/index.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { hasPrimaries, type Target } from '../../targets/target.js';
import { defineFault } from '../fault.js';
import { pick, startStop } from '../schedule.js';
import { grudgeWords, isObject } from '../words.js';
import { PARTITION_SHAPES, type PartitionShape } from './grudge.js';
import { healPartition, partitionNemesis } from './nemesis.js';

/** The shapes a cluster of `nodeCount` nodes and `target` support. */
export function feasibleShapes(nodeCount: number | undefined, target: Target | undefined): PartitionShape[] {
  return PARTITION_SHAPES.filter((s) => {
    if (s === 'primaries') return target !== undefined && hasPrimaries(target);
    if (s === 'majorities-ring') return nodeCount === undefined || nodeCount >= 4;
    if (s === 'bridge') return nodeCount === undefined || nodeCount >= 3;
    return true;
  });
}

const SHAPES_HINT = `expected a list of shapes (${PARTITION_SHAPES.join(', ')})`;

const WINDOWS: WindowSpec[] = [
  {
    start: 'start-partition',
    stop: 'stop-partition',
    label: 'partition',
    describe: (v) => (isObject(v) ? grudgeWords(v.grudge) : ''),
  },
];

export const partitionFault = defineFault({
  name: 'partition',
  description: 'iptables DROP between nodes in shapes: halves, random halves, one isolated, ring, bridge, primaries',
  packages: ['iptables'],
  options: z.strictObject({
    /** The shapes to pick from (default: every shape this cluster and target allow). */
    shapes: z
      .array(
        z.enum(PARTITION_SHAPES, {
          error: (issue) =>
            `unknown partition shape ${JSON.stringify(issue.input)}; known: ${PARTITION_SHAPES.join(', ')}`,
        }),
        { error: SHAPES_HINT },
      )
      .optional(),
  }),
  windows: WINDOWS,
  build(options, ctx) {
    const feasible = feasibleShapes(ctx.nodeCount, ctx.target);
    const shapes = options.shapes ?? feasible;
    const bad = shapes.filter((s) => !feasible.includes(s));
    if (bad.length > 0 || shapes.length === 0) {
      throw new UserError(
        `partition shape(s) ${bad.join(', ') || '(none)'} do not fit this cluster and target; possible: ${feasible.join(', ')}`,
        { where: 'test.nemesisOptions.partition.shapes' },
      );
    }
    return {
      name: 'partition',
      nemesis: partitionNemesis(),
      generator: startStop(
        ctx.intervalSeconds,
        (_c, rng) => ({ f: 'start-partition', value: { shape: pick(shapes, rng) } }),
        { f: 'stop-partition' },
      ),
      finalGenerator: gen.nemesis({ f: 'stop-partition' }),
      windows: WINDOWS,
    };
  },
  async heal(runtime, nodes) {
    await healPartition(runtime, nodes);
    return [];
  },
});
