/**
 * A growable list of 32-bit integers in typed-array chunks: the first chunk
 * starts small and doubles up to CHUNK entries, then the list grows a chunk
 * at a time without copying. With millions of entries, doubling one big
 * array would allocate (and, in V8, count towards a full garbage collection
 * of everything the history holds) twice the memory it keeps.
 */
const CHUNK_BITS = 20;
const CHUNK = 1 << CHUNK_BITS;

export class Int32Chunks {
  private readonly chunks: Int32Array[] = [];
  length = 0;

  push(value: number): void {
    const at = this.length & (CHUNK - 1);
    const c = this.length >>> CHUNK_BITS;
    if (c === this.chunks.length || at === this.chunks[c]!.length) this.grow(c);
    this.chunks[c]![at] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]![i & (CHUNK - 1)]!;
  }

  private grow(c: number): void {
    if (c > 0) {
      this.chunks.push(new Int32Array(CHUNK));
      return;
    }
    const old = this.chunks[0];
    const grown = new Int32Array(old ? old.length * 2 : 1024);
    if (old) grown.set(old);
    this.chunks[0] = grown;
  }
}
