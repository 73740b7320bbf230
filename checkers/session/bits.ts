/** A fixed-size set of small integers (0 .. size-1) as a bitset: the set checker's sets of elements. */
export class Bits {
  private readonly words: Uint32Array;

  constructor(size: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array(Math.ceil(size / 32));
  }

  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }

  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  /** Whether some member of this is not in `other` (same size). */
  anyMissingFrom(other: Bits): boolean {
    const a = this.words;
    const b = other.words;
    for (let w = 0; w < a.length; w++) if ((a[w]! & ~b[w]!) !== 0) return true;
    return false;
  }

  /** The members of this that are not in `other`, ascending. */
  missingFrom(other: Bits): number[] {
    const out: number[] = [];
    const a = this.words;
    const b = other.words;
    for (let w = 0; w < a.length; w++) {
      let bits = a[w]! & ~b[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        out.push(w * 32 + (31 - Math.clz32(low)));
        bits ^= low;
      }
    }
    return out;
  }

  /** Adds every member of `other` (same size); returns whether this grew. */
  addAll(other: Bits): boolean {
    const a = this.words;
    const b = other.words;
    let grew = false;
    for (let w = 0; w < a.length; w++) {
      const merged = (a[w]! | b[w]!) >>> 0; // | gives a signed int; the words are unsigned
      if (merged !== a[w]) {
        a[w] = merged;
        grew = true;
      }
    }
    return grew;
  }

  /** The members below `end` that are not in this, ascending. */
  absentBelow(end: number): number[] {
    const out: number[] = [];
    const a = this.words;
    for (let w = 0; w * 32 < end; w++) {
      let bits = ~a[w]!;
      if ((w + 1) * 32 > end) bits &= (1 << (end - w * 32)) - 1;
      while (bits !== 0) {
        const low = bits & -bits;
        out.push(w * 32 + (31 - Math.clz32(low)));
        bits ^= low;
      }
    }
    return out;
  }

  copy(): Bits {
    return new Bits(0, this.words.slice());
  }
}
