import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/errors.js';
import { parseTargetOptions } from '../options.js';
import { etcdArgv } from './command.js';
import { prefixEnd } from './gateway.js';
import { etcdTarget } from './index.js';

const members = [
  { name: 'n1', address: '10.0.0.2' },
  { name: 'n2', address: '10.0.0.3' },
];

describe('etcdArgv', () => {
  const argv = etcdArgv({ node: members[1]!, members, dataDir: '/d/etcd.data', clientPort: 2379, peerPort: 2380 });
  const flag = (name: string) => argv[argv.indexOf(name) + 1];

  it('names the member after the node and listens on its address', () => {
    expect(argv[0]).toBe('etcd');
    expect(flag('--name')).toBe('n2');
    expect(flag('--data-dir')).toBe('/d/etcd.data');
    expect(flag('--listen-client-urls')).toBe('http://10.0.0.3:2379');
    expect(flag('--advertise-client-urls')).toBe('http://10.0.0.3:2379');
    expect(flag('--listen-peer-urls')).toBe('http://10.0.0.3:2380');
    expect(flag('--initial-advertise-peer-urls')).toBe('http://10.0.0.3:2380');
  });

  it('lists every member in the initial cluster', () => {
    expect(flag('--initial-cluster')).toBe('n1=http://10.0.0.2:2380,n2=http://10.0.0.3:2380');
    expect(flag('--initial-cluster-state')).toBe('new');
  });

  it('brackets IPv6 addresses', () => {
    const v6 = etcdArgv({
      node: { name: 'a', address: 'fd00::2' },
      members: [{ name: 'a', address: 'fd00::2' }],
      dataDir: '/d',
      clientPort: 1,
      peerPort: 2,
    });
    expect(v6[v6.indexOf('--listen-client-urls') + 1]).toBe('http://[fd00::2]:1');
  });
});

describe('the etcd options', () => {
  const etcdOptions = (config: Record<string, unknown>, flags?: Record<string, string>) =>
    parseTargetOptions(etcdTarget, config, flags);

  it('default to linearizable reads on ports 2379 / 2380', () => {
    expect(etcdOptions({})).toEqual({ readMode: 'linearizable', readFrom: 'own', clientPort: 2379, peerPort: 2380 });
    expect(etcdOptions({ readMode: 'serializable' }).readMode).toBe('serializable');
    expect(etcdOptions({}, { readMode: 'serializable', clientPort: '3379' })).toMatchObject({
      readMode: 'serializable',
      clientPort: 3379,
    });
  });

  it('rejects an unknown read mode, a bad port or an unknown key, naming the flag or the config key', () => {
    expect(() => etcdOptions({ readMode: 'eventual' })).toThrow(UserError);
    expect(() => etcdOptions({}, { readMode: 'eventual' })).toThrow(
      /^--read-mode: expected linearizable or serializable, got "eventual"/,
    );
    expect(() => etcdOptions({ readMode: 'eventual' })).toThrow(/^test\.targetOptions\.readMode: /);
    expect(() => etcdOptions({ clientPort: 70000 })).toThrow(/clientPort/);
    expect(() => etcdOptions({ peerPort: '2380' })).toThrow(/peerPort/);
    expect(() => etcdOptions({}, { peerPort: 'x' })).toThrow(/^--peer-port: expected a port number/);
    expect(() => etcdOptions({ other: 1 })).toThrow(/test\.targetOptions\.other: unknown key/);
  });
});

describe('prefixEnd', () => {
  it('is the prefix with its last byte incremented', () => {
    expect(prefixEnd('/faultline/set/null/').toString()).toBe('/faultline/set/null0');
    expect([...prefixEnd('a\u00ff')]).toEqual([0x61, 0xc3, 0xc0]);
  });
});
