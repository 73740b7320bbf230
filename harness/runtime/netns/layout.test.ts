import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { formatIp, hostLinkName, planLayout } from './layout.js';

const toNumber = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);

describe('planLayout', () => {
  it('names everything after the cluster, within the 15-character limit for the host link', () => {
    const layout = planLayout({ name: 'my-cluster_with-a-long-name', nodes: 3 });
    expect(layout.hubNamespace).toBe('my-cluster_with-a-long-name-hub');
    expect(layout.nodes.map((n) => n.namespace)).toEqual(
      ['n1', 'n2', 'n3'].map((n) => `my-cluster_with-a-long-name-${n}`),
    );
    expect(layout.hostLink).toMatch(/^fl-[0-9a-f]{8}$/);
    expect(hostLinkName('a')).not.toBe(hostLinkName('b'));
    expect(layout.clusterDir).toBe('/var/lib/faultline/my-cluster_with-a-long-name');
  });

  it('uses the defaults: 5 nodes on 10.213.0.0/24, controller .1', () => {
    const layout = planLayout();
    expect(layout.controllerAddress).toBe('10.213.0.1');
    expect(layout.nodes.map((n) => `${n.name}=${n.address}`)).toEqual([
      'n1=10.213.0.2',
      'n2=10.213.0.3',
      'n3=10.213.0.4',
      'n4=10.213.0.5',
      'n5=10.213.0.6',
    ]);
  });

  it('gives distinct addresses inside the subnet, never the network or broadcast address', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 16, max: 29 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 250 }),
        (prefix, seed, count) => {
          const size = 2 ** (32 - prefix);
          fc.pre(count + 1 <= size - 2);
          const network = seed - (seed % size);
          const layout = planLayout({ nodes: count, subnet: `${formatIp(network)}/${prefix}` });
          const addresses = [layout.controllerAddress, ...layout.nodes.map((n) => n.address)].map(toNumber);
          expect(new Set(addresses).size).toBe(count + 1);
          for (const a of addresses) expect(a > network && a < network + size - 1).toBe(true);
        },
      ),
    );
  });

  it('rejects bad options, naming them', () => {
    const bad: Array<[Parameters<typeof planLayout>[0], RegExp]> = [
      [{ name: 'has space' }, /^runtime.netns.name: /],
      [{ nodes: 0 }, /^runtime.netns.nodes: /],
      [{ nodes: ['a', 'a'] }, /^runtime.netns.nodes: node name "a" appears twice/],
      [{ nodes: ['hub'] }, /^runtime.netns.nodes: /],
      [{ subnet: '10.1.2.0' }, /^runtime.netns.subnet: expected an IPv4 subnet/],
      [{ subnet: '10.1.2.0/30' }, /^runtime.netns.subnet: prefix length must be 16 to 29/],
      [{ subnet: '10.1.2.0/29', nodes: 6 }, /^runtime.netns.subnet: \/29 has room for 6 addresses/],
      [{ subnet: '300.1.2.0/24' }, /is not an IPv4 address/],
      [{ baseDir: 'relative' }, /^runtime.netns.baseDir: /],
      [{ baseDir: '/' }, /^runtime.netns.baseDir: /],
    ];
    for (const [options, message] of bad) {
      expect(() => planLayout(options)).toThrow(UserError);
      expect(() => planLayout(options)).toThrow(message);
    }
  });
});
