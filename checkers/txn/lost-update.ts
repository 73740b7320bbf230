/**
 * Lost update: two committed transactions read the same version of a key
 * and both then wrote that key. Whatever order they ran in, one of them
 * wrote over a state it never saw the other's write in, so that update is
 * lost. (With a complete version order this is a G2-item cycle; this finds
 * it directly, even when the version order is not complete.)
 *
 * A transaction counts when its first micro-op on the key is a read and a
 * write of the key follows; its version is that read's.
 */
import type { Json } from '../../harness/history/op.js';
import type { AnomalyCollector } from './collector.js';
import { keyName, list } from './explain.js';
import { OK, type Txns, txnRef } from './txns.js';
import { type ValueKey, valueKey } from './values.js';

export interface LostUpdateShape {
  /** The micro-op f that writes ("append", "w"). */
  write: string;
  /** The read in words: "read x = [1, 2]". */
  describeRead(key: Json, read: Json): string;
  /** The write in words: "appended 3", "wrote 5". */
  describeWrite(value: Json): string;
}

/**
 * When micro-op `read` of transaction t is its first on the key and a write
 * of the key follows: the first such write's position; else -1.
 */
export function writeAfterRead(txns: Txns, t: number, read: number, write: string): number {
  const mops = txns.mops[t]!;
  const kk = valueKey(mops[read]![1]);
  for (let i = 0; i < read; i++) if (valueKey(mops[i]![1]) === kk) return -1;
  for (let j = read + 1; j < mops.length; j++) if (mops[j]![0] === write && valueKey(mops[j]![1]) === kk) return j;
  return -1;
}

/**
 * Groups (transaction, read, write) triples by version; each group of two
 * or more is a lost update. Use one per key: `add` a triple, then `report`.
 */
export class LostUpdateGroups {
  // version → transaction, read mop, write mop, transaction, ... (flat, to spare the garbage collector)
  private readonly groups = new Map<ValueKey, number[]>();

  add(version: ValueKey, t: number, read: number, write: number): void {
    const group = this.groups.get(version);
    if (group) group.push(t, read, write);
    else this.groups.set(version, [t, read, write]);
  }

  report(txns: Txns, shape: LostUpdateShape, collector: AnomalyCollector): void {
    for (const flat of this.groups.values()) {
      if (flat.length < 6) continue;
      collector.add('lost-update', () => {
        const group = Array.from({ length: flat.length / 3 }, (_, i) => flat.slice(3 * i, 3 * i + 3));
        const [t0, r0] = group[0]!;
        const [, key, read] = txns.mops[t0!]![r0!]!;
        const names = group.map((_, i) => `T${i + 1}`);
        const writes = group.map(([t, , w], i) => `${names[i]} ${shape.describeWrite(txns.mops[t!]![w!]![2])}`);
        return {
          explanation:
            `${list(names)} all ${shape.describeRead(key, read)} and then wrote ${keyName(key)} ` +
            `(${list(writes)}). Whatever order they committed in, each later one overwrote a state ` +
            'without the earlier ones’ writes: those updates are lost.',
          txns: group.map(([t], i) => ({ name: names[i]!, ...txnRef(txns, t!) })),
          key,
          details: { value: read },
        };
      });
    }
  }
}

/**
 * Adds a lost-update case for each key and version (the value read, as a
 * Map key) read by two or more transactions that then wrote the key.
 */
export function addLostUpdates(txns: Txns, shape: LostUpdateShape, collector: AnomalyCollector): void {
  const byKey = new Map<ValueKey, LostUpdateGroups>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] !== OK) continue;
    const mops = txns.mops[t]!;
    for (let i = 0; i + 1 < mops.length; i++) {
      if (mops[i]![0] === shape.write) continue;
      const w = writeAfterRead(txns, t, i, shape.write);
      if (w === -1) continue;
      const kk = valueKey(mops[i]![1]);
      let groups = byKey.get(kk);
      if (!groups) byKey.set(kk, (groups = new LostUpdateGroups()));
      groups.add(valueKey(mops[i]![2]), t, i, w);
    }
  }
  for (const groups of byKey.values()) groups.report(txns, shape, collector);
}
