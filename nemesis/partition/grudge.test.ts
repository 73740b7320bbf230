import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/errors.js';
import { seededRng } from '../../harness/generator/rng.js';
import {
  bridge,
  complete,
  cutLinks,
  type Grudge,
  halves,
  isolateOne,
  isolatePrimaries,
  linkKey,
  majoritiesRing,
  randomHalves,
  shuffle,
  validateGrudge,
} from './grudge.js';

const nodeNames = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const cluster = (min: number, max = 9) => fc.integer({ min, max }).map(nodeNames);

/** The nodes `node` can still talk to (TCP needs both directions), itself included. */
function sees(grudge: Grudge, nodes: string[], node: string): string[] {
  const cut = cutLinks(grudge);
  return nodes.filter((o) => o === node || !cut.has(linkKey(node, o)));
}

function isSymmetric(grudge: Grudge): boolean {
  return Object.entries(grudge).every(([a, ds]) => ds.every((b) => (grudge[b] ?? []).includes(a)));
}

describe('grudges', () => {
  it('shuffle is a permutation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer(), (xs, seed) => {
        expect([...shuffle(xs, seededRng(seed))].sort()).toEqual([...xs].sort());
      }),
    );
  });

  it('halves is a complete bipartition with sizes differing by at most one', () => {
    fc.assert(
      fc.property(cluster(2), fc.integer(), (nodes, seed) => {
        for (const g of [halves(nodes), randomHalves(nodes, seededRng(seed))]) {
          const sideOf = (n: string) => sees(g, nodes, n).sort().join();
          const sides = new Set(nodes.map(sideOf));
          expect(sides.size).toBe(2);
          const sizes = [...sides].map((s) => s.split(',').length).sort();
          expect(sizes[1]! - sizes[0]!).toBeLessThanOrEqual(1);
          // every pair in different halves is cut, every pair in the same half is not
          for (const a of nodes)
            for (const b of nodes) {
              if (a === b) continue;
              expect(cutLinks(g).has(linkKey(a, b))).toBe(sideOf(a) !== sideOf(b));
            }
          expect(isSymmetric(g)).toBe(true);
        }
      }),
    );
  });

  it('isolateOne cuts exactly one node from all the others', () => {
    fc.assert(
      fc.property(cluster(3), fc.integer(), (nodes, seed) => {
        const g = isolateOne(nodes, seededRng(seed));
        const alone = nodes.filter((n) => sees(g, nodes, n).length === 1);
        expect(alone).toHaveLength(1);
        for (const n of nodes) if (n !== alone[0]) expect(sees(g, nodes, n)).toHaveLength(nodes.length - 1);
      }),
    );
  });

  it('majorities ring: every node sees a majority, no two see the same set, symmetric', () => {
    fc.assert(
      fc.property(cluster(4, 15), fc.integer(), (nodes, seed) => {
        const g = majoritiesRing(nodes, seededRng(seed));
        const views = nodes.map((n) => sees(g, nodes, n));
        for (const v of views) expect(v.length).toBeGreaterThanOrEqual(Math.floor(nodes.length / 2) + 1);
        expect(new Set(views.map((v) => v.join())).size).toBe(nodes.length);
        expect(isSymmetric(g)).toBe(true);
        expect(cutLinks(g).size).toBeGreaterThan(0);
      }),
    );
  });

  it('majorities ring refuses clusters too small for it', () => {
    expect(() => majoritiesRing(nodeNames(3), seededRng(1))).toThrow(UserError);
  });

  it('bridge: the bridge node sees everyone, the halves do not see each other', () => {
    fc.assert(
      fc.property(cluster(3), (nodes) => {
        const g = bridge(nodes);
        const bridgeNode = nodes[Math.floor(nodes.length / 2)]!;
        expect(sees(g, nodes, bridgeNode)).toHaveLength(nodes.length);
        const left = nodes.slice(0, Math.floor(nodes.length / 2));
        const right = nodes.slice(Math.floor(nodes.length / 2) + 1);
        for (const a of left) for (const b of right) expect(cutLinks(g).has(linkKey(a, b))).toBe(true);
        expect(cutLinks(g).size).toBe(left.length * right.length);
      }),
    );
  });

  it('isolatePrimaries cuts each primary from every other node', () => {
    const nodes = nodeNames(5);
    const g = isolatePrimaries(nodes, ['n2', 'n4']);
    expect(sees(g, nodes, 'n2')).toEqual(['n2']);
    expect(sees(g, nodes, 'n4')).toEqual(['n4']);
    expect(sees(g, nodes, 'n1')).toEqual(['n1', 'n3', 'n5']);
  });

  it('complete leaves nodes outside every component alone', () => {
    expect(complete([['a'], ['b']])).toEqual({ a: ['b'], b: ['a'] });
  });

  it('validateGrudge normalises and names bad nodes', () => {
    const nodes = nodeNames(3);
    expect(validateGrudge({ n1: ['n3', 'n2', 'n2'] }, nodes, '--x')).toEqual({ n1: ['n2', 'n3'], n2: [], n3: [] });
    expect(() => validateGrudge({ n9: [] }, nodes, '--x')).toThrow(/--x: unknown node "n9"/);
    expect(() => validateGrudge({ n1: ['n1'] }, nodes, '--x')).toThrow(/cannot drop itself/);
    expect(() => validateGrudge([], nodes, '--x')).toThrow(UserError);
    expect(() => validateGrudge({ n1: 'n2' }, nodes, '--x')).toThrow(/list of node names/);
  });
});
