/**
 * Waiting for threads: synchronize and phases.
 */

import { type GenLike, pending, sequence, toGen } from './core.js';
import type { Generator } from './generator.js';

/**
 * Waits (pending) until every thread of the context is free, then behaves
 * exactly like `gen`. Events before then still reach `gen`.
 */
export function synchronize(gen: GenLike): Generator {
  return waiting(toGen(gen));
}

function waiting(gen: Generator): Generator {
  return {
    op(ctx) {
      if (ctx.freeThreads.length < ctx.threads.length) return pending(this);
      return gen.op(ctx);
    },
    update(ctx, event) {
      return waiting(gen.update(ctx, event));
    },
  };
}

/**
 * The generators one after another, each starting only once every thread
 * has finished the ops of the one before (Jepsen's phases). "Every thread" is
 * every thread the context shows, so inside `clients` the nemesis is not
 * waited for.
 */
export function phases(...gens: GenLike[]): Generator {
  return sequence(...gens.map(synchronize));
}
