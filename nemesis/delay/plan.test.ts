import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinks, linkName, linksOfNodes, senderPlan } from './plan.js';
import { overtakers } from './testing/udp-stream.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('delay plans', () => {
  it('all nodes: every link once; one node: its links; links in cluster order', () => {
    expect(linksOfNodes(NODES, NODES)).toHaveLength(10);
    expect(linksOfNodes(NODES, ['n3']).map(linkName)).toEqual(['n1-n3', 'n2-n3', 'n3-n4', 'n3-n5']);
    expect(
      checkLinks(
        NODES,
        [
          ['n4', 'n2'],
          ['n2', 'n4'],
        ],
        'w',
      ).map(linkName),
    ).toEqual(['n2-n4']);
    expect(() => linksOfNodes(NODES, ['n9'])).toThrow(/unknown node "n9"/);
  });

  it.each([
    [[], /non-empty list of links/],
    [[['n1']], /a link is a pair of node names/],
    [[['n1', 'n1']], /two different nodes/],
    [[['n1', 'x']], /unknown node "x"/],
  ])('refuses links %j', (links, message) => {
    expect(() => checkLinks(NODES, links, 'w')).toThrow(message);
  });

  it('every link is delayed both ways, each direction by its sender only', () => {
    fc.assert(
      fc.property(fc.subarray(NODES, { minLength: 1 }), (selected) => {
        const links = linksOfNodes(NODES, selected);
        const plan = senderPlan(links);
        const directions = Object.entries(plan).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`));
        expect(directions).toHaveLength(2 * links.length);
        for (const [a, b] of links) expect(directions).toEqual(expect.arrayContaining([`${a}>${b}`, `${b}>${a}`]));
        // A pair of unselected nodes is never delayed.
        for (const d of directions) {
          const [from, to] = d.split('>');
          expect(selected.includes(from!) || selected.includes(to!)).toBe(true);
        }
      }),
    );
  });
});

describe('counting overtakers in an arrival order', () => {
  it('counts packets that arrived before a lower-numbered one', () => {
    expect(overtakers([0, 1, 2, 3])).toBe(0);
    expect(overtakers([3, 0, 1, 2])).toBe(1);
    expect(overtakers([0, 4, 5, 1, 2, 3])).toBe(2);
    expect(overtakers([])).toBe(0);
  });
});
