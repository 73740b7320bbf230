import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../harness/errors.js';
import { seededRng } from '../harness/generator/rng.js';
import { majoritySize, minoritySize, parseNodeSpec, selectNodes } from './node-spec.js';

const nodeNames = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);

describe('node specs', () => {
  it('parses names and node lists, rejects junk naming the option', () => {
    expect(parseNodeSpec('majority', '--kill-nodes')).toBe('majority');
    expect(parseNodeSpec(' n1, n3 ', '--kill-nodes')).toEqual({ nodes: ['n1', 'n3'] });
    expect(() => parseNodeSpec('', '--kill-nodes')).toThrow(/--kill-nodes/);
    expect(() => parseNodeSpec('n1;rm -rf', '--kill-nodes')).toThrow(UserError);
  });

  it('selects distinct cluster nodes of the right size, in cluster order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (n, seed) => {
        const nodes = nodeNames(n);
        const sizes = { one: 1, minority: minoritySize(n), majority: majoritySize(n), all: n } as const;
        for (const [spec, size] of Object.entries(sizes)) {
          const chosen = selectNodes(spec as keyof typeof sizes, nodes, seededRng(seed));
          expect(chosen).toHaveLength(size);
          expect(chosen).toEqual(nodes.filter((x) => chosen.includes(x)));
        }
        expect(minoritySize(n) * 2).toBeLessThan(n);
        expect(majoritySize(n) * 2).toBeGreaterThan(n);
      }),
    );
  });

  it('is deterministic for a seed and varies across seeds', () => {
    const nodes = nodeNames(5);
    expect(selectNodes('minority', nodes, seededRng(7))).toEqual(selectNodes('minority', nodes, seededRng(7)));
    const picks = new Set(Array.from({ length: 30 }, (_, s) => selectNodes('one', nodes, seededRng(s))[0]));
    expect(picks.size).toBeGreaterThan(1);
  });

  it('primaries need the target to name them; named nodes must exist', () => {
    const nodes = nodeNames(3);
    expect(selectNodes('primaries', nodes, seededRng(1), ['n2'])).toEqual(['n2']);
    expect(() => selectNodes('primaries', nodes, seededRng(1))).toThrow(/primaries/);
    expect(() => selectNodes({ nodes: ['n7'] }, nodes, seededRng(1))).toThrow(/unknown node/);
  });
});
