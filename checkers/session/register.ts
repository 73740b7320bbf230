/**
 * Session guarantees on one register key, against the version order of
 * ./versions.ts (x older than y when x was acknowledged or read before y was
 * invoked; the initial null older than every write).
 *
 * - read-your-writes: an ok read by a session that earlier wrote w (ok) must
 *   not return a version older than w. Violated when it returns null, or a
 *   value certainly older than w (the session's own earlier writes included).
 *   An indeterminate (info) write asks nothing: it may not have happened (and
 *   it ends its session anyway).
 * - monotonic reads: an ok read must not return a version older than one an
 *   earlier ok read of the same session returned. Violated when it returns
 *   null after a non-null value, or a value certainly older than an earlier one.
 * - monotonic writes, writes-follow-reads: not observable on a register (see
 *   ./versions.ts): the version order they constrain is inferred assuming them.
 *
 * A read whose value and the one it must not be older than are unordered
 * (their writes overlapped) is counted as undecided, never as a violation.
 * Reads no write explains (never written, failed, or written after the read
 * returned) are reported apart and judged for nothing.
 */
import { jsonKey } from '../../harness/history/json.js';
import { explain } from './explain.js';
import { bySession, type KeyOps } from './ops.js';
import type { SessionOp, UnexplainedRead } from './result.js';
import type { Tally } from './tally.js';
import { VersionOrder } from './versions.js';

/** Checks one key's sessions; adds to `tally` and `unexplained`. `stop()` says when to give up early. */
export function checkRegisterKey(
  { key, ops, failed }: KeyOps,
  tally: Tally,
  unexplained: UnexplainedRead[],
  stop: () => boolean,
): void {
  const order = new VersionOrder(ops, failed);
  for (const session of bySession(ops).values()) {
    if (stop()) return;
    let ownWrite: SessionOp | undefined;
    /** Of the session's earlier reads: the one whose version started last (the newest it has seen). */
    let newest: SessionOp | undefined;
    /** Of the distinct values the session read: the two known last (to tell whether all are older). */
    const lastKnown = new TwoLatest();
    for (const op of session) {
      if (op.f === 'write') {
        if (op.outcome === 'ok') ownWrite = op;
        continue;
      }
      const why = order.unexplained(op);
      if (why !== undefined) {
        unexplained.push({ key, read: op, why });
        continue;
      }
      const v = op.value;
      if (ownWrite !== undefined) {
        const w = ownWrite.value;
        const write = ownWrite;
        if (order.precedes(v, w)) {
          tally.violated('read-your-writes', () => ({
            guarantee: 'read-your-writes',
            key,
            process: op.process,
            earlier: write,
            read: op,
            missing: [w],
            order: v === null ? undefined : order.why(v, w),
            explanation: explain.registerReadYourWrites(key, write, op, v === null ? undefined : order.why(v, w)),
          }));
        } else if (jsonKey(v) === jsonKey(w) || order.precedes(w, v)) tally.held('read-your-writes');
        else tally.undecidable('read-your-writes');
      }
      if (newest !== undefined) {
        const u = newest.value;
        const earlier = newest;
        if (order.precedes(v, u)) {
          tally.violated('monotonic-reads', () => ({
            guarantee: 'monotonic-reads',
            key,
            process: op.process,
            earlier,
            read: op,
            missing: [u],
            order: v === null ? undefined : order.why(v, u),
            explanation: explain.registerMonotonicReads(key, earlier, op, v === null ? undefined : order.why(v, u)),
          }));
        } else if (lastKnown.latestOtherThan(v) < order.start(v)) tally.held('monotonic-reads');
        else tally.undecidable('monotonic-reads');
      }
      if (newest === undefined || order.start(v) > order.start(newest.value)) newest = op;
      lastKnown.add(v, order);
    }
  }
}

/**
 * The two distinct values with the latest `known` positions among those
 * added: enough to answer "the latest known of all values except v".
 */
class TwoLatest {
  private first: { id: unknown; known: number } | undefined;
  private second: { id: unknown; known: number } | undefined;

  add(value: SessionOp['value'], order: VersionOrder): void {
    const id = jsonKey(value);
    if (this.first?.id === id || this.second?.id === id) return; // a value's known position never changes
    const known = order.known(value);
    if (this.first === undefined || known > this.first.known) {
      this.second = this.first;
      this.first = { id, known };
    } else if (this.second === undefined || known > this.second.known) this.second = { id, known };
  }

  /** The latest known position of the values added other than `value`; -Infinity when there are none. */
  latestOtherThan(value: SessionOp['value']): number {
    const id = jsonKey(value);
    if (this.first !== undefined && this.first.id !== id) return this.first.known;
    return this.second?.known ?? Number.NEGATIVE_INFINITY;
  }
}
