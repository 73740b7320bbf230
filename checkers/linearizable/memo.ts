/** What `add` did. */
export const ADDED = 1;
export const PRESENT = 0;
export const FULL = -1;

/**
 * The memo cache of the search: a set of (linearized set, state id) pairs,
 * with no object per entry (entries live in typed arrays, so millions of them
 * cost little memory and no garbage collection).
 *
 * A linearized set arrives as two bitsets. The first comes with a window
 * [low, high]: its words below `low` are full (the caller's fixed prefix) and
 * those above `high` are zero, so only the window is stored. Of the second,
 * words 0..high2 are stored (the rest are zero). Lookups go by the caller's
 * incremental hash (h1, h2); every hash match is confirmed by comparing the
 * state id and the stored words in full.
 *
 * It holds at most `maxEntries` entries (the typed arrays must stay within
 * what the engine can allocate): past that, `add` answers FULL and the search
 * ends undecided.
 */
export class MemoCache {
  /** Open hash table: slot -> entry + 1 (0 = empty); collisions chain through `chain`. */
  private table = new Int32Array(1 << 12);
  private chain = new Int32Array(1 << 10);
  private h1s = new Int32Array(1 << 10);
  private h2s = new Int32Array(1 << 10);
  private stateIds = new Int32Array(1 << 10);
  private lows = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  private lengths2 = new Int32Array(1 << 10);
  private offsets = new Int32Array(1 << 10);
  /** All stored words, back to back. */
  private arena = new Uint32Array(1 << 12);
  private arenaUsed = 0;
  size = 0;

  constructor(readonly maxEntries: number) {}

  /** Bytes held (typed arrays at their current capacity). */
  bytes(): number {
    return this.table.byteLength + this.chain.byteLength * 8 + this.arena.byteLength;
  }

  /**
   * Adds the pair unless it is there already.
   * Returns ADDED, PRESENT (it was there already) or FULL (it is not there,
   * and the cache holds maxEntries entries already).
   */
  add(
    h1: number,
    h2: number,
    stateId: number,
    bits: Uint32Array,
    low: number,
    high: number,
    bits2: Uint32Array,
    high2: number,
  ): number {
    const mixed = (h1 ^ Math.imul(stateId + 1, 0x9e3779b1)) | 0;
    const length = high >= low ? high - low + 1 : 0;
    const length2 = high2 + 1;
    let slot = mixed & (this.table.length - 1);
    for (let e = this.table[slot]! - 1; e >= 0; e = this.chain[e]! - 1) {
      if (
        this.h1s[e] === (h1 | 0) &&
        this.h2s[e] === (h2 | 0) &&
        this.stateIds[e] === stateId &&
        this.lows[e] === low &&
        this.lengths[e] === length &&
        this.lengths2[e] === length2 &&
        this.sameWords(this.offsets[e]!, bits, low, length) &&
        this.sameWords(this.offsets[e]! + length, bits2, 0, length2)
      ) {
        return PRESENT;
      }
    }
    if (this.size >= this.maxEntries) return FULL;
    if (this.size >= this.chain.length) this.growEntries();
    if (this.arenaUsed + length + length2 > this.arena.length) this.growArena(length + length2);
    if (this.size >= this.table.length * 0.75) {
      this.rehash();
      slot = mixed & (this.table.length - 1);
    }
    const e = this.size++;
    this.h1s[e] = h1;
    this.h2s[e] = h2;
    this.stateIds[e] = stateId;
    this.lows[e] = low;
    this.lengths[e] = length;
    this.offsets[e] = this.arenaUsed;
    this.lengths2[e] = length2;
    // Plain loops: subarray() would allocate two objects per entry.
    const arena = this.arena;
    let at = this.arenaUsed;
    for (let w = 0; w < length; w++) arena[at++] = bits[low + w]!;
    for (let w = 0; w < length2; w++) arena[at++] = bits2[w]!;
    this.arenaUsed = at;
    this.chain[e] = this.table[slot]!;
    this.table[slot] = e + 1;
    return ADDED;
  }

  private sameWords(offset: number, bits: Uint32Array, low: number, length: number): boolean {
    const arena = this.arena;
    for (let w = 0; w < length; w++) if (arena[offset + w] !== bits[low + w]) return false;
    return true;
  }

  private growEntries(): void {
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.chain = grow(this.chain);
    this.h1s = grow(this.h1s);
    this.h2s = grow(this.h2s);
    this.stateIds = grow(this.stateIds);
    this.lows = grow(this.lows);
    this.lengths = grow(this.lengths);
    this.lengths2 = grow(this.lengths2);
    this.offsets = grow(this.offsets);
  }

  private growArena(atLeast: number): void {
    const bigger = new Uint32Array(Math.max(this.arena.length * 2, this.arenaUsed + atLeast));
    bigger.set(this.arena.subarray(0, this.arenaUsed));
    this.arena = bigger;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let e = 0; e < this.size; e++) {
      const slot = (this.h1s[e]! ^ Math.imul(this.stateIds[e]! + 1, 0x9e3779b1)) & mask;
      this.chain[e] = table[slot]!;
      table[slot] = e + 1;
    }
    this.table = table;
  }
}
