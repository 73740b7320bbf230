/**
 * The packet fault: random loss with iptables' statistic match, optionally a
 * tbf rate limit. This kernel has no netem: latency is refused, not faked.
 */
import { z } from 'zod';
import * as gen from '../../harness/generator/index.js';
import type { Json } from '../../harness/history/op.js';
import type { WindowSpec } from '../../harness/run/fault-windows.js';
import { defineFault } from '../fault.js';
import { describeNodeSpec } from '../node-spec.js';
import { DEFAULT_SPECS, nodeSpecs, pick, startStop } from '../schedule.js';
import { isObject, listed, nodesOf } from '../words.js';
import { healPacket, packetNemesis, validatePacketOptions } from './nemesis.js';

const WHERE = 'test.nemesisOptions.packet';

const WINDOWS: WindowSpec[] = [
  {
    start: 'start-packet',
    stop: 'stop-packet',
    label: 'packet loss',
    describe: (v) =>
      isObject(v) && typeof v.probability === 'number' && isObject(v.loss)
        ? `${Math.round(v.probability * 100)}% loss on ${listed(nodesOf(v.loss))}${v.rate ? `, ${String(v.rate)}` : ''}`
        : '',
  },
];

export const packetFault = defineFault({
  name: 'packet',
  description: 'random packet loss between nodes (iptables statistic), optionally a tbf rate limit',
  packages: ['iptables', 'iproute2'],
  options: z.strictObject({
    /** Probability that a packet from another node is dropped. */
    probability: z
      .number({ error: 'expected a loss probability in (0, 1]' })
      .gt(0, { error: 'expected a loss probability in (0, 1]' })
      .lte(1, { error: 'expected a loss probability in (0, 1]' })
      .default(0.2),
    /** A tc rate for tbf, e.g. "1mbit"; absent: no rate limit. */
    rate: z.string({ error: 'expected a tc rate like "1mbit"' }).optional(),
    /** Refused: this kernel has no netem (see validatePacketOptions). */
    latencyMs: z.number({ error: 'expected milliseconds' }).min(0, { error: 'expected milliseconds' }).optional(),
    nodes: nodeSpecs.optional(),
  }),
  windows: WINDOWS,
  build(options, ctx) {
    const { nodes, ...loss } = options;
    const base = validatePacketOptions(loss, WHERE);
    const specs = nodes ?? DEFAULT_SPECS;
    return {
      name: 'packet',
      nemesis: packetNemesis(base),
      generator: startStop(
        ctx.intervalSeconds,
        (_c, rng) => {
          const value: Record<string, Json> = {
            nodes: describeNodeSpec(pick(specs, rng)),
            probability: base.probability,
          };
          if (base.rate !== undefined) value.rate = base.rate;
          return { f: 'start-packet', value };
        },
        { f: 'stop-packet' },
      ),
      finalGenerator: gen.nemesis({ f: 'stop-packet' }),
      windows: WINDOWS,
    };
  },
  async heal(runtime, nodes) {
    await healPacket(runtime, nodes);
    return [];
  },
});
