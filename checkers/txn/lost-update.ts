/**
 * Lost update: two committed transactions read the same version of a key
 * and both then wrote that key. Whatever order they ran in, one of them
 * wrote over a state it never saw the other's write in, so that update is
 * lost. (With a complete version order this is a G2-item cycle; this finds
 * it directly, even when the version order is not complete.)
 */
import type { Json } from '../../harness/history/op.js';
import type { AnomalyCollector } from './collector.js';
import { keyName, list } from './explain.js';
import { OK, type Txns, txnRef } from './txns.js';

export interface LostUpdateShape {
  /** The micro-op f that writes ("append", "w"). */
  write: string;
  /** A key as a Map key. */
  keyOf(key: Json): string | number | boolean | null;
  /** Identifies the version a read saw (equal versions, equal identities). */
  versionOf(read: Json): string | number | boolean | null;
  /** The read in words: "read x = [1, 2]". */
  describeRead(key: Json, read: Json): string;
  /** The write in words: "appended 3", "wrote 5". */
  describeWrite(value: Json): string;
}

/** Adds a lost-update case for each key and version read by two or more transactions that then wrote the key. */
export function addLostUpdates(txns: Txns, shape: LostUpdateShape, collector: AnomalyCollector): void {
  // key → version → [transaction, read mop, write mop][]
  const groups = new Map<unknown, Map<unknown, number[][]>>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] !== OK) continue;
    const mops = txns.mops[t]!;
    if (mops.length < 2) continue;
    for (let j = 1; j < mops.length; j++) {
      const [f, k] = mops[j]!;
      if (f !== shape.write) continue;
      const kk = shape.keyOf(k);
      // Only the first write of the key counts, and only after a read of it that came before any write of it.
      let read = -1;
      let wroteBefore = false;
      for (let i = 0; i < j; i++) {
        const m = mops[i]!;
        if (shape.keyOf(m[1]) !== kk) continue;
        if (m[0] === shape.write) wroteBefore = true;
        else if (read === -1) read = i;
      }
      if (wroteBefore || read === -1) continue;
      const version = shape.versionOf(mops[read]![2]);
      let byVersion = groups.get(kk);
      if (!byVersion) groups.set(kk, (byVersion = new Map()));
      const group = byVersion.get(version) ?? [];
      group.push([t, read, j]);
      byVersion.set(version, group);
    }
  }
  for (const byVersion of groups.values()) {
    for (const group of byVersion.values()) {
      if (group.length < 2) continue;
      collector.add('lost-update', () => {
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
