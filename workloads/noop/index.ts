/**
 * The noop workload: every client sends `noop` ops, which a target's client
 * answers without touching its data (a ping, a health check). It measures
 * what faults do to availability and latency alone, and the stats checker
 * judges it: invalid when no noop ever succeeded.
 *
 * - noop: invoke value null; ok when the system answered, fail when it
 *   certainly did not, info when unknown.
 */
import { statsChecker } from '../../checkers/stats/index.js';
import * as gen from '../../harness/generator/index.js';
import { paced } from '../pacing.js';
import type { Workload } from '../workload.js';

export const noopWorkload: Workload = {
  name: 'noop',
  vocabulary: { noop: 'invoke null; ok when the system answered (value ignored)' },
  generator(options) {
    return gen.clients(paced(options, gen.repeat({ f: 'noop', value: null })));
  },
  finalGenerator() {
    return undefined;
  },
  checker() {
    return statsChecker();
  },
};
