/**
 * Spacing ops out in time: stagger (random), delay (fixed), sleep (wait).
 * Each wraps the whole stream of the generator it is given (all threads it
 * reaches); wrap it inside `eachThread` for spacing per thread.
 */

import { DONE, type GenLike, opStep, pending, toGen } from './core.js';
import type { Generator } from './generator.js';
import { secondsToNs } from './limits.js';

/**
 * Ops from `gen` spaced by uniformly random gaps in [0, 2 * seconds), so on
 * average one op every `seconds` (Jepsen's stagger). The gaps come from
 * ctx.rng. An op is never moved earlier than `gen` asked for; when the
 * schedule falls behind (all threads busy) it does not catch up in a burst.
 */
export function stagger(seconds: number, gen: GenLike): Generator {
  const spanNs = 2 * secondsToNs(seconds, 'stagger');
  return spaced(toGen(gen), undefined, (rng) => Math.floor(rng.next() * spanNs), false);
}

/**
 * Ops from `gen` exactly `seconds` apart (Jepsen's delay). When it falls
 * behind, ops come as soon as possible until the schedule is met again.
 */
export function delay(seconds: number, gen: GenLike): Generator {
  const gapNs = secondsToNs(seconds, 'delay');
  return spaced(toGen(gen), undefined, () => gapNs, true);
}

/**
 * @param nextTime the earliest time of the next op; undefined until first asked
 * @param catchUp  whether the schedule advances from the planned time (delay)
 *                 or from the time the op actually got (stagger)
 */
function spaced(
  gen: Generator,
  nextTime: number | undefined,
  gap: (rng: { next(): number }) => number,
  catchUp: boolean,
): Generator {
  return {
    op(ctx) {
      const earliestTime = nextTime ?? ctx.time;
      const step = gen.op(ctx);
      if (step.kind === 'done') return DONE;
      if (step.kind === 'pending') return pending(spaced(step.next, earliestTime, gap, catchUp), step.wakeAt);
      const time = Math.max(step.op.time, earliestTime);
      const base = catchUp ? earliestTime : time;
      return opStep({ ...step.op, time }, spaced(step.next, base + gap(ctx.rng), gap, catchUp));
    },
    update(ctx, event) {
      return spaced(gen.update(ctx, event), nextTime, gap, catchUp);
    },
  };
}

/**
 * Emits nothing for `seconds` from the first time it is asked, then is done.
 * Pending meanwhile, with a wake-up hint at the end. In a sequence or
 * `phases`, this is a pause between two steps.
 */
export function sleep(seconds: number): Generator {
  return sleepUntil(secondsToNs(seconds, 'sleep'), undefined);
}

function sleepUntil(durationNs: number, until: number | undefined): Generator {
  return {
    op(ctx) {
      const end = until ?? ctx.time + durationNs;
      if (ctx.time >= end) return DONE;
      return pending(sleepUntil(durationNs, end), end);
    },
    update() {
      return this;
    },
  };
}
