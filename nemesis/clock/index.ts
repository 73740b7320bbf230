/**
 * The clock fault: per-node offsets through libfaketime (bumps, strobes,
 * resets), measured after each change. A target that ignores libfaketime
 * (a Go program) is reported plainly, never as skew that did not happen.
 */
import { z } from 'zod';
import type { Rng } from '../../harness/generator/generator.js';
import * as gen from '../../harness/generator/index.js';
import type { Json } from '../../harness/history/op.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { defineFault } from '../fault.js';
import { describeNodeSpec } from '../node-spec.js';
import { DEFAULT_SPECS, nodeSpecs, pick, scheduled } from '../schedule.js';
import { isObject } from '../words.js';
import { clockNemesis, healClock } from './nemesis.js';

/** A bump in ±[10, max] ms, log-uniform in magnitude (small and large skews both happen). */
export function randomSkewMs(maxSkewMs: number, rng: Rng): number {
  const magnitude = Math.round(10 * Math.max(1, maxSkewMs / 10) ** rng.next());
  return rng.next() < 0.5 ? -magnitude : magnitude;
}

const ms = (expected: string) => z.number({ error: `expected ${expected}` });

/** "n1 +500 ms, n3 -20 ms" from the offsets set (measured values shown when they differ by more than 5 ms). */
function offsetWords(v: Json): string {
  if (!isObject(v) || !isObject(v.offsets)) return '';
  const measured = isObject(v.measured) ? v.measured : {};
  return Object.entries(v.offsets)
    .filter(([, ms]) => typeof ms === 'number' && ms !== 0)
    .map(([node, ms]) => {
      const m = measured[node];
      const seen = isObject(m) && typeof m.offsetMs === 'number' ? m.offsetMs : undefined;
      const shown = `${node} ${Number(ms) > 0 ? '+' : ''}${String(ms)} ms`;
      return seen !== undefined && Math.abs(seen - Number(ms)) > 5 ? `${shown} (measured ${seen})` : shown;
    })
    .join(', ');
}

const WINDOWS: WindowSpec[] = [
  { start: 'bump-clock', stop: 'reset-clock', label: 'clock skew', describe: offsetWords },
  {
    start: 'strobe-clock',
    stop: 'reset-clock',
    label: 'clock skew',
    describe: (v) => (offsetWords(v) ? `strobe: ${offsetWords(v)}` : ''),
  },
];

export const clockFault = defineFault({
  name: 'clock',
  description: 'per-node clock offsets through libfaketime: bumps, strobes and resets, measured after each change',
  packages: ['faketime'],
  options: z.strictObject({
    nodes: nodeSpecs.optional(),
    /** Bumps are random in ±[10 ms, maxSkewMs], log-uniform in magnitude. */
    maxSkewMs: ms('at least 10 ms').min(10, { error: 'expected at least 10 ms' }).default(5_000),
    /** A strobe flips the offset by deltaMs every periodMs for durationMs. */
    strobe: z
      .strictObject({
        deltaMs: ms('a number of milliseconds'),
        periodMs: ms('a positive number of milliseconds').gt(0, {
          error: 'expected a positive number of milliseconds',
        }),
        durationMs: ms('from 0 to 600000 milliseconds')
          .min(0, { error: 'expected from 0 to 600000 milliseconds' })
          .max(600_000, { error: 'expected from 0 to 600000 milliseconds' }),
      })
      .optional(),
  }),
  windows: WINDOWS,
  build(options, ctx) {
    const specs = options.nodes ?? DEFAULT_SPECS;
    const strobe = options.strobe ?? {
      deltaMs: 200,
      periodMs: 10,
      durationMs: Math.min(2_000, ctx.intervalSeconds * 500),
    };
    const bump: gen.OpFn = (_c, rng) => ({
      f: 'bump-clock',
      value: { nodes: describeNodeSpec(pick(specs, rng)), ms: randomSkewMs(options.maxSkewMs, rng) },
    });
    const strobeOp: gen.OpFn = (_c, rng) => ({
      f: 'strobe-clock',
      value: { nodes: describeNodeSpec(pick(specs, rng)), ...strobe },
    });
    const reset: gen.OpFn = () => ({ f: 'reset-clock' });
    return {
      name: 'clock',
      nemesis: clockNemesis(),
      generator: scheduled(ctx.intervalSeconds, gen.mix(bump, strobeOp, reset)),
      finalGenerator: gen.nemesis({ f: 'reset-clock' }),
      windows: WINDOWS,
    };
  },
  async heal(runtime, nodes) {
    await healClock(runtime, nodes);
    return [];
  },
});
