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
 * "unexpected") are never required either.
 */
import { jsonKey } from '../../harness/history/json.js';
import type { Json, ProcessId } from '../../harness/history/op.js';
import type { StateKey } from '../models/model.js';
import { explain } from './explain.js';
import { bySession, type KeyOps } from './ops.js';
import type { SessionOp } from './result.js';
import type { Tally } from './tally.js';

/** An element's add, placed in its session. */
interface Added {
  add: SessionOp;
  session: ProcessId;
  /** Position among the session's adds. */
  position: number;
  /** How many ok reads the session did before this add. */
  readsBefore: number;
}

/** What one session did on the key, for the checks of other sessions' reads. */
interface SessionFacts {
  adds: SessionOp[];
  /** okBefore[i]: how many of adds[0..i) completed ok. */
  okBefore: number[];
  /** The elements the session's reads showed, in the order first seen, with the read that first showed each. */
  seen: { id: StateKey; element: Json; read: SessionOp; readOrdinal: number }[];
}

/** Checks one key; adds to `tally`. `stop()` says when to give up early. */
export function checkSetKey({ key, ops }: KeyOps, tally: Tally, stop: () => boolean): void {
  const added = new Map<StateKey, Added>();
  const sessions = bySession(ops);
  const facts = new Map<ProcessId, SessionFacts>();
  for (const [process, session] of sessions) {
    const f: SessionFacts = { adds: [], okBefore: [0], seen: [] };
    let reads = 0;
    for (const op of session) {
      if (op.f === 'read') {
        reads++;
        continue;
      }
      added.set(jsonKey(op.value), { add: op, session: process, position: f.adds.length, readsBefore: reads });
      f.adds.push(op);
      f.okBefore.push(f.okBefore.at(-1)! + (op.outcome === 'ok' ? 1 : 0));
    }
    facts.set(process, f);
  }
  const explained = (id: StateKey): boolean => added.has(id);

  // Read-your-writes and monotonic reads: each session's reads against its own past.
  for (const [process, session] of sessions) {
    if (stop()) return;
    const f = facts.get(process)!;
    const ownAdds: SessionOp[] = [];
    /** Every element seen so far, with the latest earlier read that showed it. */
    const seen = new Map<StateKey, { element: Json; read: SessionOp }>();
    let readOrdinal = 0;
    let earlierRead = false;
    for (const op of session) {
      if (op.f !== 'read') {
        if (op.outcome === 'ok') ownAdds.push(op);
        continue;
      }
      const elements = op.value as Json[];
      const present = new Set(elements.map(jsonKey));
      if (ownAdds.length > 0) {
        const missing = ownAdds.filter((a) => !present.has(jsonKey(a.value)));
        if (missing.length === 0) tally.held('read-your-writes');
        else {
          const add = missing.at(-1)!;
          tally.violated('read-your-writes', () => ({
            guarantee: 'read-your-writes',
            key,
            process,
            earlier: add,
            read: op,
            missing: missing.map((a) => a.value),
            explanation: explain.setReadYourWrites(key, add, op, missing.length),
          }));
        }
      }
      if (earlierRead) {
        const missing = [...seen].filter(([id]) => !present.has(id)).map(([, s]) => s);
        if (missing.length === 0) tally.held('monotonic-reads');
        else {
          const first = missing[0]!;
          tally.violated('monotonic-reads', () => ({
            guarantee: 'monotonic-reads',
            key,
            process,
            earlier: first.read,
            read: op,
            missing: missing.map((m) => m.element),
            explanation: explain.setMonotonicReads(key, first.read, first.element, op, missing.length),
          }));
        }
      }
      for (const element of elements) {
        const id = jsonKey(element);
        if (!explained(id)) continue;
        if (!seen.has(id)) f.seen.push({ id, element, read: op, readOrdinal });
        seen.set(id, { element, read: op });
      }
      readOrdinal++;
      earlierRead = true;
    }
  }

  // Monotonic writes and writes-follow-reads: every read against the sessions whose adds it shows.
  for (const read of ops) {
    if (read.f !== 'read') continue;
    if (stop()) return;
    const elements = read.value as Json[];
    const present = new Set(elements.map(jsonKey));
    /** Per writer session: its latest add the read shows, and the one made after the most reads. */
    const writers = new Map<ProcessId, { latest: Added; afterMostReads: Added }>();
    for (const element of elements) {
      const a = added.get(jsonKey(element));
      if (!a) continue;
      const w = writers.get(a.session);
      if (!w) writers.set(a.session, { latest: a, afterMostReads: a });
      else {
        if (a.position > w.latest.position) w.latest = a;
        if (a.readsBefore > w.afterMostReads.readsBefore) w.afterMostReads = a;
      }
    }
    for (const [session, w] of writers) {
      const f = facts.get(session)!;
      monotonicWrites(key, read, present, session, f, w.latest, tally);
      writesFollowReads(key, read, present, session, f, w.afterMostReads, tally);
    }
  }
}

function monotonicWrites(
  key: Json | undefined,
  read: SessionOp,
  present: ReadonlySet<StateKey>,
  session: ProcessId,
  f: SessionFacts,
  latest: Added,
  tally: Tally,
): void {
  const required = f.okBefore[latest.position]!;
  if (required === 0) return; // nothing the session certainly added before it
  const missing = f.adds.slice(0, latest.position).filter((a) => a.outcome === 'ok' && !present.has(jsonKey(a.value)));
  if (missing.length === 0) {
    tally.held('monotonic-writes');
    return;
  }
  const earlier = missing.at(-1)!;
  tally.violated('monotonic-writes', () => ({
    guarantee: 'monotonic-writes',
    key,
    process: session,
    earlier,
    write: latest.add,
    read,
    missing: missing.map((a) => a.value),
    explanation: explain.setMonotonicWrites(key, earlier, latest.add, read, missing.length),
  }));
}

function writesFollowReads(
  key: Json | undefined,
  read: SessionOp,
  present: ReadonlySet<StateKey>,
  session: ProcessId,
  f: SessionFacts,
  write: Added,
  tally: Tally,
): void {
  if (write.readsBefore === 0) return;
  const required = f.seen.filter((s) => s.readOrdinal < write.readsBefore);
  if (required.length === 0) return; // its earlier reads showed nothing
  const missing = required.filter((s) => !present.has(s.id));
  if (missing.length === 0) {
    tally.held('writes-follow-reads');
    return;
  }
  const first = missing[0]!;
  tally.violated('writes-follow-reads', () => ({
    guarantee: 'writes-follow-reads',
    key,
    process: session,
    earlier: first.read,
    write: write.add,
    read,
    missing: missing.map((m) => m.element),
    explanation: explain.setWritesFollowReads(key, first.read, first.element, write.add, read, missing.length),
  }));
}
