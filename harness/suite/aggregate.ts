/**
 * One exit code for many runs, for CI: 254 when a run found the config
 * wrong for this host (nothing after it ran), else 130 when interrupted,
 * else 1 when any run was invalid, else 255 when any crashed, else 2 when
 * any was unknown, else 0. An invalid verdict is a finding about the system
 * and beats a run that could not say (crashed), which beats a checker that
 * gave up (unknown).
 */
import { EXIT } from '../errors.js';
import type { RunReport, RunVerdict, SeriesResult } from './series.js';

const EXIT_OF: Record<RunVerdict, number> = {
  valid: EXIT.valid,
  invalid: EXIT.invalid,
  unknown: EXIT.unknown,
  crashed: EXIT.crash,
  'bad-config': EXIT.badInput,
  interrupted: EXIT.interrupted,
};

/** Strongest first. */
const PRECEDENCE: readonly RunVerdict[] = ['bad-config', 'interrupted', 'invalid', 'crashed', 'unknown', 'valid'];

/** The exit code of a series or suite (see the module comment); 0 when nothing ran. */
export function seriesExitCode(result: SeriesResult): number {
  const verdicts = new Set(result.runs.map((r) => r.verdict));
  if (result.stopped === 'interrupted') verdicts.add('interrupted');
  const strongest = PRECEDENCE.find((v) => verdicts.has(v));
  return strongest === undefined ? EXIT.valid : EXIT_OF[strongest];
}

/** How many runs ended each way, strongest first, leaving out the ways none ended: "3 valid, 1 invalid". */
export function verdictCounts(runs: readonly RunReport[]): string {
  const order: readonly RunVerdict[] = ['valid', 'invalid', 'unknown', 'crashed', 'bad-config', 'interrupted'];
  const parts = order.flatMap((v) => {
    const n = runs.filter((r) => r.verdict === v).length;
    return n === 0 ? [] : [`${n} ${v}`];
  });
  return parts.length === 0 ? 'no run' : parts.join(', ');
}
