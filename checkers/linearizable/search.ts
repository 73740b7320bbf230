/**
 * The search for one key: Wing & Gong's backtracking search for a
 * linearization, with Lowe's memoisation of (set of linearized ops, model
 * state).
 *
 * The ops become call and return entries in one doubly linked list, in history
 * order. From the list head, every call before the first return is a candidate
 * to go next. Linearizing a candidate lifts its call and return out of the
 * list; if no candidate works (the scan reaches a return entry: that op's
 * deadline passed), we undo the latest choice and try the next candidate.
 *
 * Open ops (info / never completed) have no return entry: they never block the
 * search and never constrain anyone. They may be linearized at any point after
 * their call, or never; the search succeeds as soon as every ok op is
 * linearized. (Trying them as early as they are legal, in history order, works
 * far better on real histories than keeping them as a last resort: a last
 * resort is tried at every dead end, in every combination.)
 *
 * The cache key is an incremental Zobrist hash of the linearized set (two
 * 32-bit halves, XORed per op) with an interned state id; entries keep the
 * set, compared in full on every hash match. The set is kept as two bitsets,
 * one over the ok ops and one over the open ops. The ok bitset is stored
 * compactly as the words between the first word that is not all ones and the
 * last non-zero word: in a long history, the window of recent ops.
 *
 * Reads go first: at each new configuration, a read-only op (one the model
 * says never changes the state, see Model.isReadOnly) that is legal here is
 * linearized at once, and nothing else is tried in its place. That is safe: in
 * any linearization extending this configuration, the read can move up to here
 * (nothing that must precede it is missing, and it changes no state, here or
 * where it was). It keeps the search from trying every order of the writes
 * around a read.
 *
 * The search is resumable: `run(steps)` does a bounded amount of work and
 * says whether it finished, so the caller can interleave keys and check
 * budgets.
 */

import type { PairedOp } from '../../harness/history/pair.js';
import { mulberry32 } from '../../harness/history/random.js';
import { ILLEGAL, type Model, type ModelOp, type StateKey } from '../models/model.js';
import { ADDED, FULL, MemoCache } from './memo.js';

/** One step of the current partial linearization (a persistent linked list, newest first). */
export interface Frame {
  /** Index of the op in the search's op list. */
  op: number;
  /** Model state after the op. */
  state: unknown;
  stateId: number;
  prev: Frame | undefined;
  depth: number;
  /** Taken as a read that goes first: no other choice is tried in its place. */
  forced: boolean;
}

/** A configuration at the greatest depth where no op could go next, and the op whose deadline blocked it. */
export interface DeadEnd {
  top: Frame | undefined;
  blockedBy: number;
}

/** An op as the search sees it: what the model sees (ModelOp) and where the op is in real time (a PairedOp's indices). */
export type SearchOp = ModelOp & Pick<PairedOp, 'invokeIndex' | 'completeIndex'>;

/** running: not finished yet; full: the memo table (or the state table) reached its maximum size, undecided. */
export type SearchStatus = 'running' | 'valid' | 'invalid' | 'full';

/**
 * Most entries in the memo cache and most distinct states, by default: the
 * engine's limits (a Map holds at most 2^24 entries; the cache's typed
 * arrays stay well within theirs). Past them the search ends undecided.
 */
export const MAX_TABLE_ENTRIES = 2 ** 24 - 1;

/** How many dead ends at the greatest depth to keep as evidence. */
const KEEP_DEAD_ENDS = 3;

/** What tryLinearize did. */
const NOT_TAKEN = 0;
const TAKEN = 1;
const CACHED = 2;
const TABLE_FULL = 3;

export class KeySearch {
  readonly ops: readonly SearchOp[];
  readonly model: Model<unknown>;
  /** Number of ok ops (the ones that must be linearized). */
  readonly okCount: number;
  readonly initialState: unknown;

  /** The linked list: call of op i is 2i, its return 2i+1 (ok ops only), the head is 2n. -1 ends it. */
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly head: number;
  private readonly z1: Uint32Array;
  private readonly z2: Uint32Array;
  /** The linearized set: ok ops and open ops in separate bitsets, op i at bit slot[i]. */
  private readonly okBits: Uint32Array;
  private readonly openBits: Uint32Array;
  private readonly slot: Int32Array;
  /** 1 for ops the model says are read-only. */
  private readonly readOnly: Uint8Array;
  /** The value of each okBits word when all its ops are linearized. */
  private readonly okFull: Uint32Array;
  /** Every okBits word below `okLow` is full (it may lag behind; see `remember`). */
  private okLow = 0;
  /** The last non-zero word of okBits, of openBits (-1 when none). */
  private okHigh = -1;
  private openHigh = -1;
  private readonly cache: MemoCache;
  private readonly stateIds = new Map<StateKey, number>();
  private readonly maxStates: number;

  private cursor: number;
  /** The configuration is new: look for a read that goes first before the ordinary scan. */
  private fresh = true;
  private top: Frame | undefined = undefined;
  private state: unknown;
  private stateId: number;
  private readonly initialStateId: number;
  private h1 = 0;
  private h2 = 0;
  private remainingOk: number;
  private progress: SearchStatus = 'running';

  /** Greatest number of ops linearized at once so far. */
  maxDepth = 0;
  /** The current partial linearization that reached maxDepth first. */
  deepest: Frame | undefined = undefined;
  /** Configurations at maxDepth where nothing could go next (evidence for false). */
  readonly deadEnds: DeadEnd[] = [];
  /** Loop iterations done so far (model steps and backtracks). */
  iterations = 0;

  /** `maxTableEntries`: most memo entries and most distinct states (default and cap MAX_TABLE_ENTRIES). */
  constructor(model: Model<unknown>, ops: readonly SearchOp[], maxTableEntries = MAX_TABLE_ENTRIES, seed = 0x5eed) {
    this.model = model;
    this.ops = ops;
    const max = Math.min(maxTableEntries, MAX_TABLE_ENTRIES);
    this.cache = new MemoCache(max);
    this.maxStates = max;
    const n = ops.length;
    this.head = 2 * n;
    this.next = new Int32Array(2 * n + 1).fill(-1);
    this.prev = new Int32Array(2 * n + 1).fill(-1);
    this.slot = new Int32Array(n);
    this.readOnly = new Uint8Array(n);
    ops.forEach((op, i) => {
      this.readOnly[i] = model.isReadOnly?.(op) ? 1 : 0;
    });
    let okSlots = 0;
    let openSlots = 0;
    ops.forEach((op, i) => {
      this.slot[i] = op.outcome === 'ok' ? okSlots++ : openSlots++;
    });
    this.okBits = new Uint32Array(Math.ceil(okSlots / 32) || 1);
    this.openBits = new Uint32Array(Math.ceil(openSlots / 32) || 1);
    this.okFull = new Uint32Array(this.okBits.length);
    this.z1 = new Uint32Array(n);
    this.z2 = new Uint32Array(n);
    const random = mulberry32(seed);
    for (let i = 0; i < n; i++) {
      this.z1[i] = random();
      this.z2[i] = random();
    }

    // Entries in history order (positions are distinct history indexes).
    const entries: { at: number; entry: number }[] = [];
    let okCount = 0;
    ops.forEach((op, i) => {
      entries.push({ at: op.invokeIndex, entry: 2 * i });
      if (op.outcome === 'ok') {
        okCount++;
        this.okFull[this.slot[i]! >> 5]! |= 1 << (this.slot[i]! & 31);
        entries.push({ at: op.completeIndex!, entry: 2 * i + 1 });
      }
    });
    entries.sort((a, b) => a.at - b.at);
    let last = this.head;
    for (const { entry } of entries) {
      this.next[last] = entry;
      this.prev[entry] = last;
      last = entry;
    }
    this.okCount = okCount;
    this.remainingOk = okCount;
    this.initialState = model.init();
    this.state = this.initialState;
    this.initialStateId = this.internState(this.initialState);
    this.stateId = this.initialStateId;
    this.cursor = this.next[this.head]!;
  }

  /** Where the search is: running, or how it ended. */
  get status(): SearchStatus {
    return this.progress;
  }

  /** The most memo entries (and distinct states) it may hold. */
  get tableLimit(): number {
    return this.maxStates;
  }

  /** Approximate bytes held by the memo cache and interned states. */
  memoryEstimate(): number {
    return this.cache.bytes() + this.stateIds.size * 80;
  }

  /**
   * Advances the search by at most `budget` iterations.
   * Returns 'valid' when every ok op is linearized, 'invalid' when no
   * linearization exists, 'running' when the budget ran out first, 'full'
   * (for good: undecided) when the memo or state table reached its maximum size.
   */
  run(budget: number): SearchStatus {
    if (this.progress !== 'running') return this.progress;
    const { next, head } = this;
    let cursor = this.cursor;
    let done = 0;
    while (done < budget) {
      if (this.remainingOk === 0) {
        this.progress = 'valid';
        break;
      }
      done++;
      if (this.fresh) {
        this.fresh = false;
        let found = NOT_TAKEN;
        for (let e = next[head]!; e >= 0 && (e & 1) === 0 && found === NOT_TAKEN; e = next[e]!) {
          if (this.readOnly[e >> 1] === 1) {
            found = this.tryLinearize(e >> 1, true);
            done++;
          }
        }
        if (found === TABLE_FULL) {
          this.progress = 'full';
          break;
        }
        if (found === TAKEN) {
          this.fresh = true;
        } else if (found === CACHED) {
          // This configuration plus the read was explored already and failed, so this one fails too.
          if (!this.backtrack()) break;
          cursor = this.cursor;
        } else {
          cursor = next[head]!;
        }
        continue;
      }
      if ((cursor & 1) === 0) {
        // A call: try to linearize this op now.
        const taken = this.tryLinearize(cursor >> 1, false);
        if (taken === TAKEN) this.fresh = true;
        else if (taken === TABLE_FULL) {
          this.progress = 'full';
          break;
        } else cursor = next[cursor]!;
        continue;
      }
      // The return of an ok op that is not linearized: nothing can go next. Undo the latest choice.
      if ((this.top?.depth ?? 0) === this.maxDepth && this.deadEnds.length < KEEP_DEAD_ENDS) {
        this.deadEnds.push({ top: this.top, blockedBy: cursor >> 1 });
      }
      if (!this.backtrack()) break;
      cursor = this.cursor;
    }
    this.cursor = cursor;
    this.iterations += done;
    return this.progress;
  }

  /**
   * Undoes the latest choice, and the reads that went first below it, and
   * sets the cursor to the next candidate after it.
   * Returns false (status invalid) when there was nothing left to undo.
   */
  private backtrack(): boolean {
    for (;;) {
      const frame = this.top;
      if (frame === undefined) {
        this.progress = 'invalid';
        return false;
      }
      this.undo(frame);
      if (!frame.forced) {
        this.cursor = this.next[2 * frame.op]!;
        return true;
      }
    }
  }

  /**
   * Linearizes op i now if its step is legal and the result is not in the
   * cache. `asRead`: op i is read-only and goes first (its frame is forced).
   * Returns TAKEN, CACHED (it could go, but that configuration was explored
   * already), NOT_TAKEN or TABLE_FULL (no room to remember it).
   */
  private tryLinearize(i: number, asRead: boolean): number {
    const op = this.ops[i]!;
    const after = this.model.step(this.state, op);
    if (after === ILLEGAL) return NOT_TAKEN;
    const stateId = this.internState(after);
    if (stateId === -1) return TABLE_FULL;
    if (asRead && stateId !== this.stateId) {
      throw new Error(
        `model ${this.model.name} says ${this.model.describeOp(op)} is read-only, but its step changed the state`,
      );
    }
    const h1 = (this.h1 ^ this.z1[i]!) >>> 0;
    const h2 = (this.h2 ^ this.z2[i]!) >>> 0;
    this.flip(i);
    const remembered = this.remember(h1, h2, stateId);
    if (remembered !== ADDED) {
      this.flip(i);
      return remembered === FULL ? TABLE_FULL : CACHED;
    }
    this.h1 = h1;
    this.h2 = h2;
    this.state = after;
    this.stateId = stateId;
    const depth = (this.top?.depth ?? 0) + 1;
    this.top = { op: i, state: after, stateId, prev: this.top, depth, forced: asRead };
    if (depth > this.maxDepth) {
      this.maxDepth = depth;
      this.deepest = this.top;
      this.deadEnds.length = 0;
    }
    if (op.outcome === 'ok') this.remainingOk--;
    this.lift(i);
    return TAKEN;
  }

  /** Undoes the choice recorded in `frame` (the top). */
  private undo(frame: Frame): void {
    const i = frame.op;
    this.top = frame.prev;
    this.state = this.top === undefined ? this.initialState : this.top.state;
    this.stateId = this.top === undefined ? this.initialStateId : this.top.stateId;
    this.h1 = (this.h1 ^ this.z1[i]!) >>> 0;
    this.h2 = (this.h2 ^ this.z2[i]!) >>> 0;
    this.flip(i);
    this.unlift(i);
    if (this.ops[i]!.outcome === 'ok') this.remainingOk++;
  }

  /** Toggles op i in the linearized set, keeping the windows right. */
  private flip(i: number): void {
    const at = this.slot[i]!;
    const w = at >> 5;
    if (this.ops[i]!.outcome === 'ok') {
      const bits = this.okBits;
      bits[w]! ^= 1 << (at & 31);
      if (w < this.okLow) this.okLow = w; // a word below okLow was full; now it is not
      if (bits[w] !== 0) {
        if (w > this.okHigh) this.okHigh = w;
      } else if (w === this.okHigh) {
        while (this.okHigh >= 0 && bits[this.okHigh] === 0) this.okHigh--;
      }
    } else {
      const bits = this.openBits;
      bits[w]! ^= 1 << (at & 31);
      if (bits[w] !== 0) {
        if (w > this.openHigh) this.openHigh = w;
      } else if (w === this.openHigh) {
        while (this.openHigh >= 0 && bits[this.openHigh] === 0) this.openHigh--;
      }
    }
  }

  /** The op indexes of a partial linearization, oldest first. */
  static opsOf(top: Frame | undefined): Frame[] {
    const frames: Frame[] = [];
    for (let f = top; f !== undefined; f = f.prev) frames.push(f);
    return frames.reverse();
  }

  /** The state's id; -1 when it is new and the state table is full. */
  private internState(state: unknown): number {
    const key = this.model.stateKey(state);
    let id = this.stateIds.get(key);
    if (id === undefined) {
      if (this.stateIds.size >= this.maxStates) return -1;
      id = this.stateIds.size;
      this.stateIds.set(key, id);
    }
    return id;
  }

  /** Adds (linearized set, state) to the cache. Returns ADDED, PRESENT or FULL (see MemoCache.add). */
  private remember(h1: number, h2: number, stateId: number): number {
    const { okBits, okFull } = this;
    const high = this.okHigh;
    let low = this.okLow;
    while (low <= high && okBits[low] === okFull[low]) low++;
    this.okLow = low;
    return this.cache.add(h1, h2, stateId, okBits, low, high, this.openBits, this.openHigh);
  }

  /** Entries in the memo cache. */
  get cacheEntries(): number {
    return this.cache.size;
  }

  private lift(i: number): void {
    this.remove(2 * i);
    if (this.ops[i]!.outcome === 'ok') this.remove(2 * i + 1);
  }

  /** Undoes lift(i): reinserts the return, then the call (the reverse order). */
  private unlift(i: number): void {
    if (this.ops[i]!.outcome === 'ok') this.reinsert(2 * i + 1);
    this.reinsert(2 * i);
  }

  private remove(entry: number): void {
    const { next, prev } = this;
    next[prev[entry]!] = next[entry]!;
    if (next[entry]! >= 0) prev[next[entry]!] = prev[entry]!;
  }

  private reinsert(entry: number): void {
    const { next, prev } = this;
    next[prev[entry]!] = entry;
    if (next[entry]! >= 0) prev[next[entry]!] = entry;
  }
}
