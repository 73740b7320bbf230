/**
 * Choosing between generators: any (whichever is ready first), mix (a random
 * one per op), flipFlop (strict alternation).
 */

import { DONE, earliest, type GenLike, opStep, pending, toGen } from './core.js';
import type { Generator, GenOp } from './generator.js';

/**
 * Ops from whichever of `gens` has one soonest; all of them run side by side
 * (Jepsen's `any`). Every event goes to every generator. Ties between ops
 * that are due now go to a random one (ctx.rng). Done when all are done;
 * pending when none has an op.
 */
export function any(...gens: GenLike[]): Generator {
  return anyFrom(gens.map(toGen));
}

function anyFrom(gens: readonly (Generator | undefined)[]): Generator {
  return {
    op(ctx) {
      const live: number[] = [];
      gens.forEach((g, i) => {
        if (g !== undefined) live.push(i);
      });
      if (live.length === 0) return DONE;
      const next = gens.slice();
      let chosen: { i: number; op: GenOp; next: Generator } | undefined;
      let wake: number | undefined;
      const offset = live.length > 1 ? ctx.rng.int(live.length) : 0;
      for (let k = 0; k < live.length; k++) {
        const i = live[(k + offset) % live.length]!;
        const step = gens[i]!.op(ctx);
        if (step.kind === 'done') next[i] = undefined;
        else if (step.kind === 'pending') {
          next[i] = step.next;
          wake = earliest(wake, step.wakeAt);
        } else if (!chosen || step.op.time < chosen.op.time) {
          chosen = { i, op: step.op, next: step.next };
          if (step.op.time <= ctx.time) break;
        }
      }
      // A child that wakes up before the chosen op is due may have an earlier op then: wait for it.
      if (chosen && (wake === undefined || wake > chosen.op.time)) {
        next[chosen.i] = chosen.next;
        return opStep(chosen.op, anyFrom(next));
      }
      if (!chosen && next.every((g) => g === undefined)) return DONE;
      return pending(anyFrom(next), wake);
    },
    update(ctx, event) {
      return anyFrom(gens.map((g) => g?.update(ctx, event)));
    },
  };
}

/**
 * Each op comes from a randomly chosen generator among `gens` (uniform, from
 * ctx.rng), like Jepsen's mix. The choice is kept while that generator is
 * pending, so waiting does not re-roll it. A generator that is done is
 * dropped; done when all are. Give it endless generators (functions,
 * `repeat`): a plain `{ f }` object is a single op.
 */
export function mix(...gens: GenLike[]): Generator {
  return mixFrom(gens.map(toGen), undefined);
}

function mixFrom(gens: readonly Generator[], choice: number | undefined): Generator {
  return {
    op(ctx) {
      let current = gens;
      let i = choice;
      while (current.length > 0) {
        i ??= current.length === 1 ? 0 : ctx.rng.int(current.length);
        const step = current[i]!.op(ctx);
        if (step.kind === 'done') {
          current = current.filter((_, j) => j !== i);
          i = undefined;
          continue;
        }
        const rest = current.slice();
        rest[i] = step.next;
        if (step.kind === 'pending') return pending(mixFrom(rest, i), step.wakeAt);
        return opStep(step.op, mixFrom(rest, undefined));
      }
      return DONE;
    },
    update(ctx, event) {
      return mixFrom(
        gens.map((g) => g.update(ctx, event)),
        choice,
      );
    },
  };
}

/**
 * Alternates: an op from `a`, then one from `b`, then `a`, ... Done as soon
 * as the one whose turn it is is done. Events go to both.
 */
export function flipFlop(a: GenLike, b: GenLike): Generator {
  return flipFlopFrom([toGen(a), toGen(b)], 0);
}

function flipFlopFrom(gens: readonly [Generator, Generator], turn: 0 | 1): Generator {
  return {
    op(ctx) {
      const step = gens[turn].op(ctx);
      if (step.kind === 'done') return DONE;
      const next: [Generator, Generator] = turn === 0 ? [step.next, gens[1]] : [gens[0], step.next];
      if (step.kind === 'pending') return pending(flipFlopFrom(next, turn), step.wakeAt);
      return opStep(step.op, flipFlopFrom(next, turn === 0 ? 1 : 0));
    },
    update(ctx, event) {
      return flipFlopFrom([gens[0].update(ctx, event), gens[1].update(ctx, event)], turn);
    },
  };
}
