/**
 * What the fault definitions share: how their schedules are paced, and how
 * their options name nodes (`nodes: ["one", "majority", "n1,n3"]`).
 */
import { z } from 'zod';
import type { Rng } from '../harness/generator/generator.js';
import * as gen from '../harness/generator/index.js';
import { type NodeSpec, parseNodeSpec } from './node-spec.js';

/** The node specs a fault picks from when its options name none. */
export const DEFAULT_SPECS: NodeSpec[] = ['one', 'minority', 'majority'];

export function pick<T>(items: readonly T[], rng: Rng): T {
  return items[rng.int(items.length)]!;
}

/**
 * After a first quiet `interval` (let the clients get going), ops from `ops`
 * staggered by `interval`, on the nemesis thread.
 */
export function scheduled(interval: number, ops: gen.GenLike): gen.Generator {
  return gen.nemesis([gen.sleep(interval), gen.stagger(interval, ops)]);
}

/** start/stop alternating (see `scheduled`). */
export function startStop(interval: number, start: gen.OpFn, stop: gen.OpTemplate): gen.Generator {
  return scheduled(interval, gen.flipFlop(start, gen.repeat(stop)));
}

const LIST_HINT = 'expected a non-empty list of node specs like ["one", "majority", "n1,n3"]';

/** One node spec: "minority", "n1,n3", or { nodes: [names] }. */
const nodeSpec = z
  .union([z.string(), z.strictObject({ nodes: z.array(z.string()).min(1) })], {
    error: 'expected a node spec like "one", "majority" or "n1,n3"',
  })
  .transform((value, ctx): NodeSpec => {
    const text = typeof value === 'string' ? value : value.nodes.join(',');
    try {
      return parseNodeSpec(text, '');
    } catch (err) {
      ctx.issues.push({ code: 'custom', message: (err as Error).message.replace(/^: /, ''), input: value });
      return z.NEVER;
    }
  });

/** The `nodes` option of a fault: which nodes each of its ops may hit. */
export const nodeSpecs = z.array(nodeSpec, { error: LIST_HINT }).min(1, { error: LIST_HINT });
