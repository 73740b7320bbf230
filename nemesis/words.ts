/**
 * Faults in a few words, from what their nemesis recorded (the completion's
 * value): the results' windows, the report's labels and the live status line
 * show these. Each fault's index.ts picks its describer; recorded data may
 * have any shape, so every describer tolerates anything and says less.
 */
import type { Json } from '../harness/history/op.js';

type JsonObject = { [key: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);

/** The keys of an object (the nodes a per-node record names), sorted; [] for anything else. */
export function nodesOf(v: Json | undefined): string[] {
  return isObject(v) ? Object.keys(v).sort() : [];
}

/** "n1 n2 n3" */
export const listed = (nodes: readonly string[]) => nodes.join(' ');

/**
 * A grudge (node -> the nodes it drops packets from) as the groups that can
 * still talk, "n1 n2 | n3 n4 n5", when it is a clean split; otherwise each
 * node with the nodes it cannot hear, "n1 ✗ n3; n2 ✗ n3 n4".
 */
export function grudgeWords(grudge: Json | undefined): string {
  if (!isObject(grudge)) return '';
  const nodes = Object.keys(grudge).sort();
  const blocked = (a: string, b: string) => {
    const from = (n: string) => (Array.isArray(grudge[n]) ? (grudge[n] as Json[]).map(String) : []);
    return from(a).includes(b) || from(b).includes(a);
  };
  const groups: string[][] = [];
  for (const n of nodes) {
    const group = groups.find((g) => g.every((m) => !blocked(n, m)));
    if (group) group.push(n);
    else groups.push([n]);
  }
  const clean = groups.every((g, i) =>
    groups.every((h, j) => i === j || g.every((a) => h.every((b) => blocked(a, b)))),
  );
  if (clean && groups.length > 1) return groups.map(listed).join(' | ');
  return nodes
    .filter((n) => Array.isArray(grudge[n]) && (grudge[n] as Json[]).length > 0)
    .map((n) => `${n} ✗ ${listed((grudge[n] as Json[]).map(String).sort())}`)
    .join('; ');
}
