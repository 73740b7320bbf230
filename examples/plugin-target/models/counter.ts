/**
 * A model of a counter, Porcupine-style: `incr` adds its value, `read` sees
 * the sum so far. Usable on its own, too:
 *
 *   faultline check history.jsonl --model ./models/counter.ts
 */
import { defineModel, ILLEGAL, type ModelOptions } from 'faultline';

/** The counter model; `initial` (--initial) is the starting count, 0 by default. */
export default function counterModel(options: ModelOptions = {}) {
  const initial = options.initial ?? 0;
  if (typeof initial !== 'number') throw new Error(`a counter starts at a number, not ${JSON.stringify(initial)}`);
  return defineModel<number>({
    name: 'counter',
    init: () => initial,
    step: (count, op) => {
      if (op.f === 'incr') return typeof op.value === 'number' ? count + op.value : ILLEGAL;
      if (op.f === 'read') return op.value === count ? count : ILLEGAL;
      return ILLEGAL;
    },
    whyIllegal: (count, op) => (op.f === 'read' ? `the counter is at ${count}` : `${op.f} is not a counter op`),
    stateKey: (count) => count,
    stateJson: (count) => count,
    describeState: (count) => `the counter is at ${count}`,
    describeOp: (op) => (op.f === 'incr' ? `incr ${String(op.value)}` : `read ${String(op.value)}`),
    // A read that may not have happened says nothing about the count.
    isNoop: (op) => op.f === 'read' && op.outcome === 'info',
    isReadOnly: (op) => op.f === 'read',
    validate: (op) => {
      if (op.f !== 'incr' && op.f !== 'read') throw new Error(`the counter has no op ${op.f}`);
    },
  });
}
