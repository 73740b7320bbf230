/**
 * Clock offsets for the report's clock chart, taken from the clock nemesis's
 * ops when the caller did not pass them. Recognised nemesis op values:
 *
 *   { "measured": { "n1": { "offsetMs": 120 } } }      measured on the nodes (nemesis/clock.ts)
 *   { "offsets": { "n1": 120.5, "n2": -3 } }           offsets set, ms, when nothing was measured
 *   { "clock-offsets": { "n1": 0.1205, "n2": -0.003 } } seconds (Jepsen)
 *
 * Anything else in a nemesis op is ignored. Only the completion (info) op with
 * a value is used; the invocation carries no measurement.
 */
import type { Json, Op } from '../history/op.js';
import type { ClockSample } from './input.js';

/** Returns the samples found, in history order; an empty array when there are none. */
export function clockSamplesFromHistory(history: readonly Op[]): ClockSample[] {
  const samples: ClockSample[] = [];
  for (const op of history) {
    if (op.process !== 'nemesis' || !isObject(op.value)) continue;
    const measured = op.value['measured'];
    if (isObject(measured)) {
      const asMs = Object.entries(measured).map(
        ([node, m]) => [node, isObject(m) ? (m['offsetMs'] ?? null) : m] as const,
      );
      addSamples(samples, op.time, Object.fromEntries(asMs), 1);
    } else {
      addSamples(samples, op.time, op.value['offsets'], 1);
    }
    addSamples(samples, op.time, op.value['clock-offsets'], 1000);
  }
  return samples;
}

function addSamples(into: ClockSample[], time: number, offsets: Json | undefined, toMs: number): void {
  if (!isObject(offsets)) return;
  for (const [node, offset] of Object.entries(offsets)) {
    if (typeof offset === 'number' && Number.isFinite(offset)) into.push({ node, time, offsetMs: offset * toMs });
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
