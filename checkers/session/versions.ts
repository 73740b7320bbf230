/**
 * The version order of one register key: which of two values is certainly
 * the older version. A register read shows only the newest write the serving
 * node has, so the order of writes cannot be read off the history; it is
 * inferred, and only where it is certain under one stated assumption.
 *
 * Each write's value is unique per key, so a read names the write it saw.
 * For a write x:
 *
 * - start(x): the history position of its invocation;
 * - known(x): the first position at which x certainly existed in the store:
 *   its ok completion, or the completion of the first ok read that returned
 *   it, whichever comes first (undefined while neither happened: an
 *   indeterminate write nobody read).
 *
 * x precedes y (x is older) when known(x) < start(y): x was acknowledged or
 * seen before y was even sent. The initial value (null) precedes every write.
 * Nothing else is ordered: two writes that overlap in that sense are
 * unordered, and a guarantee that depends on their order is undecided there.
 *
 * The assumption: the store orders each key's writes consistently with this,
 * i.e. a write that was acknowledged or visible when another was sent is
 * ordered before it. That holds for every store that puts a key's writes
 * through one leader and serves only writes the leader has ordered (etcd,
 * ZooKeeper, a Redis primary and its replicas, also across fail-overs: a write
 * that a fail-over loses shows up as missing, never as reordered). It does
 * not hold for multi-leader stores that order writes by client timestamps or
 * by arrival: there a violation reported here may be a reordering instead.
 *
 * Because of the assumption, on registers the order of a session's writes and
 * of writes after reads is given, not observed: monotonic writes and
 * writes-follow-reads cannot be seen to fail on a register (they can on a
 * set, where a read shows every write it has).
 *
 * The order is an interval order (x precedes y iff the interval
 * [start(x), known(x)] ends before [start(y), ...] begins), so a contradiction
 * built from several guarantee requirements always contains one built from a
 * single requirement and one order fact: checking each requirement against
 * the order on its own finds every violation the order can prove.
 */
import { jsonKey, show } from '../../harness/history/json.js';
import type { Json } from '../../harness/history/op.js';
import type { StateKey } from '../models/model.js';
import type { OlderVersion, SessionOp } from './result.js';

interface Version {
  write: SessionOp;
  /** Position of the write's invocation. */
  start: number;
  known: { how: 'acknowledged' | 'read'; index: number; time: number } | undefined;
}

export class VersionOrder {
  private readonly versions = new Map<StateKey, Version>();

  /**
   * `ops`: one key's writes that may have happened and its ok reads (see
   * ops.ts); `failed`: the values whose write definitely failed.
   */
  constructor(
    ops: readonly SessionOp[],
    private readonly failed: ReadonlySet<StateKey>,
  ) {
    for (const op of ops) {
      if (op.f !== 'write') continue;
      const acked =
        op.completeIndex === undefined
          ? undefined
          : { how: 'acknowledged' as const, index: op.completeIndex, time: op.time };
      this.versions.set(jsonKey(op.value), { write: op, start: op.invokeIndex, known: acked });
    }
    for (const op of ops) {
      if (op.f !== 'read' || op.value === null || op.completeIndex === undefined) continue;
      const version = this.versions.get(jsonKey(op.value));
      // A read that returned before the write was invoked is unexplained (see `unexplained`), not evidence.
      if (!version || op.completeIndex < version.start) continue;
      if (version.known === undefined || op.completeIndex < version.known.index) {
        version.known = { how: 'read', index: op.completeIndex, time: op.time };
      }
    }
  }

  /** Why no write explains this ok read, or undefined when one does (a read of null always is explained). */
  unexplained(read: SessionOp): string | undefined {
    if (read.value === null) return undefined;
    const id = jsonKey(read.value);
    const version = this.versions.get(id);
    if (version === undefined) {
      return this.failed.has(id)
        ? `the write of ${show(read.value)} definitely failed`
        : `${show(read.value)} was never written`;
    }
    if (read.completeIndex !== undefined && read.completeIndex < version.start) {
      return `${show(read.value)} was written only after the read returned`;
    }
    return undefined;
  }

  /** Position of the write's invocation; -1 for the initial value (null). */
  start(value: Json): number {
    return value === null ? -1 : (this.versions.get(jsonKey(value))?.start ?? Number.POSITIVE_INFINITY);
  }

  /** Position from which the value certainly existed; -1 for the initial value, Infinity when never known. */
  known(value: Json): number {
    return value === null ? -1 : (this.versions.get(jsonKey(value))?.known?.index ?? Number.POSITIVE_INFINITY);
  }

  /** Whether `a` is certainly an older version than `b` (both explained values; null is the initial value). */
  precedes(a: Json, b: Json): boolean {
    if (b === null || jsonKey(a) === jsonKey(b)) return false;
    return this.known(a) < this.start(b);
  }

  /** The evidence that `older` precedes `newer`; call only when `precedes(older, newer)`. */
  why(older: Json, newer: Json): OlderVersion {
    const write = this.versions.get(jsonKey(newer))!.write;
    return {
      older,
      known: older === null ? undefined : this.versions.get(jsonKey(older))!.known,
      newer,
      newerInvoked: { index: write.invokeIndex, time: write.invokeTime },
    };
  }
}
