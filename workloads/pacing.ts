/** Pacing shared by the workloads: --rate ops per second across all clients. */
import type { Generator } from '../harness/generator/generator.js';
import * as gen from '../harness/generator/index.js';
import { UserError } from '../harness/history/errors.js';
import type { WorkloadOptions } from './workload.js';

/**
 * Paces `g` to `options.rate` ops per second across all threads (stagger),
 * or leaves it as fast as possible when the rate is 0 or absent.
 * Throws UserError for a negative or non-finite rate.
 */
export function paced(options: WorkloadOptions, g: gen.GenLike): Generator {
  const rate = options.rate ?? 0;
  if (!Number.isFinite(rate) || rate < 0)
    throw new UserError(`must be a number >= 0 (ops per second, 0 for unlimited), got ${rate}`, { where: '--rate' });
  return rate > 0 ? gen.stagger(1 / rate, g) : gen.toGen(g);
}
