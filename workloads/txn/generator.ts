/**
 * The generator of a transactional workload: on every free client thread, a
 * transaction `{f: "txn", value: [[f, k, v], ...]}` from the key pool
 * (./keys.ts). The pool travels with the generator value, so the same seed
 * gives the same schedule, and an op that is dropped and asked for again is
 * the same op.
 */
import type { Generator } from '../../harness/generator/index.js';
import * as gen from '../../harness/generator/index.js';
import { type KeyPool, nextTxn, type TxnKnobs } from './keys.js';

export function txnGenerator(knobs: TxnKnobs, write: string, pool: KeyPool): Generator {
  const self: Generator = {
    op(ctx) {
      if (ctx.freeThreads.length === 0) return gen.pending(self);
      const next = nextTxn(pool, ctx.rng, knobs, write);
      const op = gen.fillOp(ctx, { f: 'txn', value: next.mops });
      if (!op) return gen.pending(self);
      return gen.opStep(op, txnGenerator(knobs, write, next.pool));
    },
    update: () => self,
  };
  return self;
}
