import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { hostAddress, resolveDockerOptions } from './options.js';

describe('resolveDockerOptions', () => {
  it('fills in the defaults', () => {
    const o = resolveDockerOptions();
    expect(o.cluster).toBe('faultline');
    expect(o.nodeNames).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
    expect(o.subnet.cidr).toBe('10.231.4.0/24');
    expect(o.socketPath).toBe('/var/run/docker.sock');
    expect(o.image.source).toBe('auto');
    expect(o.image.suite).toBe('bookworm');
  });

  it('takes node names as given, and normalises the subnet to its base address', () => {
    const o = resolveDockerOptions({ nodes: ['a', 'b'], subnet: '10.9.8.77/24', name: 'x1' });
    expect(o.nodeNames).toEqual(['a', 'b']);
    expect(o.subnet.cidr).toBe('10.9.8.0/24');
    expect(hostAddress(o.subnet, 1)).toBe('10.9.8.1');
  });

  it.each([
    [{ name: 'Bad Name' }, 'runtime.docker.name'],
    [{ nodes: 0 }, 'runtime.docker.nodes'],
    [{ nodes: ['n1', 'n1'] }, 'runtime.docker.nodes'],
    [{ subnet: '10.1.2.0' }, 'runtime.docker.subnet'],
    [{ subnet: '300.1.2.0/24' }, 'runtime.docker.subnet'],
    [{ subnet: '10.1.2.0/29', nodes: 6 }, 'runtime.docker.subnet'],
    [{ nodeDir: 'relative' }, 'runtime.docker.nodeDir'],
    [{ image: { source: 'hub' as never } }, 'runtime.docker.image.source'],
    [{ image: { extraPackages: ['rm -rf'] } }, 'runtime.docker.image.extraPackages'],
  ])('rejects %j with a UserError naming %s', (options, where) => {
    let error: unknown;
    try {
      resolveDockerOptions(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).where).toBe(where);
  });

  it('gives every node of a subnet a distinct address inside it, never the base or the gateway', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 16, max: 24 }),
        fc.integer({ min: 1, max: 60 }),
        (b, c, prefix, count) => {
          const o = resolveDockerOptions({ subnet: `10.${b}.${c}.0/${prefix}`, nodes: count });
          const addresses = o.nodeNames.map((_, i) => hostAddress(o.subnet, i + 2));
          expect(new Set(addresses).size).toBe(count);
          const base = o.subnet.octets.join('.');
          const gateway = hostAddress(o.subnet, 1);
          for (const a of addresses) {
            expect(a).not.toBe(base);
            expect(a).not.toBe(gateway);
            // Same network part: the first `prefix` bits agree with the base.
            const toInt = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
            const mask = 2 ** 32 - 2 ** (32 - prefix);
            expect(Math.floor(toInt(a) / 2 ** (32 - prefix))).toBe(
              Math.floor((toInt(base) & mask) / 2 ** (32 - prefix)),
            );
          }
        },
      ),
    );
  });
});
