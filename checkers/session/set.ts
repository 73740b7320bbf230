/**
 * Session guarantees on one grow-only set key. A set read shows every add
 * the serving node has, so the guarantees are read off the history directly,
 * as Terry et al. state them over the writes a server holds; no version order
 * and no assumption about the store is needed.
 *
 * - read-your-writes: an ok read contains every element its session added
 *   (ok) before it.
 * - monotonic reads: an ok read contains every element the session's earlier
 *   ok reads contained.
 * - monotonic writes: a read (of any session) that contains an element a
 *   session added also contains every element that session added (ok) before it.
 * - writes-follow-reads: a read (of any session) that contains an element a
 *   session added also contains every element that session's ok reads before
 *   that add contained.
 *
 * `info` adds may or may not have happened: they are never required (and
 * end their session); one that a read contains certainly happened, so it
 * can be the later write of monotonic writes and writes-follow-reads.
 * Elements no add explains (never added, or the add failed: checkers/set's
 * "unexpected") are never required either. A read that shows an element
 * whose add was invoked only after the read returned is not flagged here
 * (no real store does that); writes-follow-reads may then miss a violation.
 */
import { jsonKey } from '../../harness/history/json.js';
import type { Json, ProcessId } from '../../harness/history/op.js';
import type { StateKey } from '../models/model.js';
import { Bits } from './bits.js';
import { explain } from './explain.js';
import type { KeyOps } from './ops.js';
import type { SessionOp } from './result.js';
import type { Tally } from './tally.js';

/** An element's add. Elements are numbered 0, 1, ... in the order their adds were invoked. */
interface Added {
  index: number;
  add: SessionOp;
  session: Session;
  /** Position among its session's adds. */
  position: number;
  ok: boolean;
  /**
   * What its session's ok reads before it showed (undefined: nothing). Adds
   * between the same two reads share one Bits; a later add's is a superset.
   */
  seenBefore: Bits | undefined;
}

/** One session's state while the key's ops are replayed. */
interface Session {
  process: ProcessId;
  adds: Added[];
  /** okBefore[i]: how many of adds[0..i) completed ok. */
  okBefore: number[];
  /** Its ok adds so far. */
  own: Bits;
  owned: number;
  /** Everything its ok reads so far showed, and those reads in order. */
  seen: Bits;
  reads: SessionOp[];
  /** The last copy of `seen` given to an add, while `seen` has not grown since. */
  snapshot: Bits | undefined;
}

/**
 * Checks one key; adds to `tally`. `stop()` says when to give up early.
 *
 * The key's ops are replayed in the order they certainly happened: an add at
 * its invocation, a read at its completion. A read then finds in place
 * everything its judgement needs: its session's earlier adds and reads, and,
 * for every add it shows, that add's session's reads before it. Element sets
 * are bitsets: a read costs its size, plus elements / 32 per guarantee, plus,
 * per session whose adds it shows, the number of elements it misses.
 */
export function checkSetKey({ key, ops }: KeyOps, tally: Tally, stop: () => boolean): void {
  const byValue = new Map<StateKey, Added>();
  const elements: Added[] = [];
  const sessions = new Map<ProcessId, Session>();
  const adds = ops.filter((op) => op.f !== 'read');
  const size = adds.length;
  const sessionOf = (process: ProcessId): Session => {
    let s = sessions.get(process);
    if (!s) {
      s = {
        process,
        adds: [],
        okBefore: [0],
        own: new Bits(size),
        owned: 0,
        seen: new Bits(size),
        reads: [],
        snapshot: undefined,
      };
      sessions.set(process, s);
    }
    return s;
  };
  for (const op of adds) {
    const session = sessionOf(op.process);
    const added: Added = {
      index: elements.length,
      add: op,
      session,
      position: session.adds.length,
      ok: op.outcome === 'ok',
      seenBefore: undefined,
    };
    session.adds.push(added);
    session.okBefore.push(session.okBefore.at(-1)! + (added.ok ? 1 : 0));
    elements.push(added);
    byValue.set(jsonKey(op.value), added);
  }

  const at = (op: SessionOp): number => (op.f === 'read' ? op.completeIndex! : op.invokeIndex);
  const replay = [...ops].sort((a, b) => at(a) - at(b));
  let invoked = 0; // adds invoked so far, in replay order
  for (const op of replay) {
    if (op.f !== 'read') {
      const added = elements[invoked++]!;
      const session = added.session;
      added.seenBefore = session.snapshot;
      if (added.ok) {
        session.own.add(added.index);
        session.owned++;
      }
      continue;
    }
    if (stop()) return;
    const session = sessionOf(op.process);
    // The read's elements as bits, and for each session whose adds it shows, its latest such add.
    const read = new Bits(size);
    const latest = new Map<Session, { add: Added; okPresent: number }>();
    let end = invoked;
    for (const element of op.value as Json[]) {
      const a = byValue.get(jsonKey(element));
      if (a === undefined || read.has(a.index)) continue; // unexplained (checkers/set's "unexpected"), or twice
      read.add(a.index);
      if (a.index >= end) end = a.index + 1;
      const w = latest.get(a.session);
      if (!w) latest.set(a.session, { add: a, okPresent: a.ok ? 1 : 0 });
      else {
        if (a.position > w.add.position) w.add = a;
        if (a.ok) w.okPresent++;
      }
    }
    readYourWrites(key, op, read, session, elements, tally);
    monotonicReads(key, op, read, session, elements, tally);
    // Elements that existed (their add was invoked) before the read returned, and that it misses.
    let absent: number[] | undefined;
    for (const [writer, w] of latest) {
      monotonicWrites(key, op, read, writer, w.add, w.okPresent - (w.add.ok ? 1 : 0), tally);
      absent ??= read.absentBelow(end);
      writesFollowReads(key, op, read, absent, w.add, elements, tally);
    }
    if (session.seen.addAll(read)) session.snapshot = session.seen.copy();
    session.reads.push(op);
  }
}

function readYourWrites(
  key: Json | undefined,
  op: SessionOp,
  read: Bits,
  session: Session,
  elements: readonly Added[],
  tally: Tally,
): void {
  if (session.owned === 0) return;
  if (!session.own.anyMissingFrom(read)) {
    tally.held('read-your-writes');
    return;
  }
  const missing = session.own.missingFrom(read).map((i) => elements[i]!.add);
  const add = missing.at(-1)!;
  tally.violated('read-your-writes', () => ({
    guarantee: 'read-your-writes',
    key,
    process: session.process,
    earlier: add,
    read: op,
    missing: missing.map((a) => a.value),
    explanation: explain.setReadYourWrites(key, add, op, missing.length),
  }));
}

function monotonicReads(
  key: Json | undefined,
  op: SessionOp,
  read: Bits,
  session: Session,
  elements: readonly Added[],
  tally: Tally,
): void {
  if (session.reads.length === 0) return;
  if (!session.seen.anyMissingFrom(read)) {
    tally.held('monotonic-reads');
    return;
  }
  const missing = session.seen.missingFrom(read);
  const first = elements[missing[0]!]!;
  tally.violated('monotonic-reads', () => {
    const earlier = session.reads.findLast((r) => shows(r, first))!;
    return {
      guarantee: 'monotonic-reads',
      key,
      process: session.process,
      earlier,
      read: op,
      missing: missing.map((i) => elements[i]!.add.value),
      explanation: explain.setMonotonicReads(key, earlier, first.add.value, op, missing.length),
    };
  });
}

/** `latest`: the writer's latest add the read shows; `okPresentBefore`: how many of its ok adds before it it shows. */
function monotonicWrites(
  key: Json | undefined,
  op: SessionOp,
  read: Bits,
  writer: Session,
  latest: Added,
  okPresentBefore: number,
  tally: Tally,
): void {
  const required = writer.okBefore[latest.position]!;
  if (required === 0) return; // nothing the session certainly added before it
  if (okPresentBefore === required) {
    tally.held('monotonic-writes');
    return;
  }
  const missing = writer.adds.slice(0, latest.position).filter((a) => a.ok && !read.has(a.index));
  const earlier = missing.at(-1)!.add;
  tally.violated('monotonic-writes', () => ({
    guarantee: 'monotonic-writes',
    key,
    process: writer.process,
    earlier,
    write: latest.add,
    read: op,
    missing: missing.map((a) => a.add.value),
    explanation: explain.setMonotonicWrites(key, earlier, latest.add, op, missing.length),
  }));
}

/**
 * `latest`: the writer's latest add the read shows (what its session had seen
 * before it is the most any of its adds asks for); `absent`: the elements the
 * read misses among those that existed before it returned.
 */
function writesFollowReads(
  key: Json | undefined,
  op: SessionOp,
  read: Bits,
  absent: readonly number[],
  latest: Added,
  elements: readonly Added[],
  tally: Tally,
): void {
  const required = latest.seenBefore;
  if (required === undefined) return; // its session's reads before it showed nothing
  const missing = absent.length <= 64 ? absent.filter((i) => required.has(i)) : required.missingFrom(read);
  if (missing.length === 0) {
    tally.held('writes-follow-reads');
    return;
  }
  const first = elements[missing[0]!]!;
  const writer = latest.session;
  tally.violated('writes-follow-reads', () => {
    const earlier = writer.reads.find((r) => shows(r, first))!;
    return {
      guarantee: 'writes-follow-reads',
      key,
      process: writer.process,
      earlier,
      write: latest.add,
      read: op,
      missing: missing.map((i) => elements[i]!.add.value),
      explanation: explain.setWritesFollowReads(key, earlier, first.add.value, latest.add, op, missing.length),
    };
  });
}

/** Whether an ok read's elements include the element of `added`. */
function shows(read: SessionOp, added: Added): boolean {
  const id = jsonKey(added.add.value);
  return (read.value as Json[]).some((e) => jsonKey(e) === id);
}
