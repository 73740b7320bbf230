/**
 * The session workload: reads and writes on independent keys, where every
 * client process is a session, checked by the session-guarantees checker
 * (checkers/session: read-your-writes, monotonic reads, ...) and the
 * linearizability checker (register model, key by key) together. A run then
 * says whether it was linearizable and, either way, which weaker guarantees
 * still held: "not linearizable; read-your-writes violated, monotonic reads held".
 *
 * - write: invoke and ok value = the integer written. Values are unique per
 *   key: a key's writes are 1, 2, 3, ... in the order they are invoked. The
 *   session checker needs this (a read names the write it saw, so versions
 *   can be told apart); values also grow with the version order, which makes
 *   explanations easy to follow ("wrote 5, then read 4").
 * - read: invoke value null; ok value = the value read (null when the key
 *   was never written). The completion's node must be the node that served
 *   the read.
 *
 * A key's writes are serialized: its next write is not sent while the
 * previous one is in flight (one that timed out stops counting when it
 * does). Every acknowledged write then precedes the next in real time, so
 * the version order the session checker infers is total except around
 * indeterminate writes, and a stale read is almost always decidable. Reads
 * run concurrently with everything.
 *
 * Which node serves a read is the client's choice (the session's own node,
 * or any node when the target is configured so): that is what makes reads
 * stale or not, and the history records it in the completion's node.
 */

import { composeCheckers } from '../../checkers/compose.js';
import { linearizableChecker } from '../../checkers/linearizable/index.js';
import { sessionChecker } from '../../checkers/session/index.js';
import type { Generator } from '../../harness/generator/index.js';
import * as gen from '../../harness/generator/index.js';
import type { ProcessId } from '../../harness/history/op.js';
import { independentKeys } from '../register/independent.js';
import type { Workload } from '../workload.js';

/**
 * One key's ops: reads, and writes of next, next + 1, ... (about half the
 * ops while no write is in flight). `writer` is the process whose write is in
 * flight, if any. A pure value: the counter and the writer live in the
 * generator, so a dropped op is asked for again with the same value.
 */
function keyOps(next: number, writer: ProcessId | undefined): Generator {
  const self: Generator = {
    op(ctx) {
      if (ctx.freeThreads.length === 0) return gen.pending(self);
      const write = writer === undefined && ctx.rng.int(2) === 0;
      const op = gen.fillOp(ctx, write ? { f: 'write', value: next } : { f: 'read', value: null });
      if (!op) return gen.pending(self);
      return gen.opStep(op, write ? keyOps(next + 1, op.process) : self);
    },
    update(_ctx, event) {
      const finished = event.type !== 'invoke' && event.f === 'write' && event.process === writer;
      return finished ? keyOps(next, undefined) : self;
    },
  };
  return self;
}

export const sessionWorkload: Workload = {
  name: 'session',
  vocabulary: {
    read: 'invoke null; ok: the value read (an integer, or null if never written), with the serving node as node',
    write: 'invoke and ok: the integer written, unique per key (1, 2, 3, ... in invocation order)',
  },
  generator(options) {
    return independentKeys(options, () => keyOps(1, undefined));
  },
  finalGenerator() {
    return undefined;
  },
  checker() {
    return composeCheckers({
      session: sessionChecker({ datatype: 'register' }),
      linearizable: linearizableChecker({ model: 'register', initial: null }),
    });
  },
};
