import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { resolveSshOptions } from './options.js';

describe('resolveSshOptions', () => {
  it('fills in defaults; per-node settings override runtime-wide ones; sudo when not root', () => {
    const resolved = resolveSshOptions(
      {
        nodes: ['db1', { host: 'db2', port: 2222, user: 'root', name: 'second' }],
        user: 'admin',
        privateKeyFile: '/k',
      },
      {},
    );
    expect(resolved.nodes).toEqual([
      {
        name: 'n1',
        host: 'db1',
        port: 22,
        user: 'admin',
        privateKeyFile: '/k',
        passphrase: undefined,
        agent: undefined,
        sudo: true,
        hostKeyFingerprint: undefined,
        dir: '/var/lib/faultline/n1',
      },
      {
        name: 'second',
        host: 'db2',
        port: 2222,
        user: 'root',
        privateKeyFile: '/k',
        passphrase: undefined,
        agent: undefined,
        sudo: false,
        hostKeyFingerprint: undefined,
        dir: '/var/lib/faultline/second',
      },
    ]);
    expect(resolved.connectTimeoutMs).toBe(10_000);
  });

  it('uses $SSH_AUTH_SOCK when no key file is given', () => {
    expect(resolveSshOptions({ nodes: ['h'] }, { SSH_AUTH_SOCK: '/tmp/agent.sock' }).nodes[0]?.agent).toBe(
      '/tmp/agent.sock',
    );
  });

  it('rejects bad options, naming them', () => {
    const bad: Array<[Parameters<typeof resolveSshOptions>[0], string]> = [
      [{ nodes: [] }, 'runtime.ssh.nodes: expected a list'],
      [{ nodes: ['h'] }, 'runtime.ssh.nodes[0].privateKeyFile: no credentials'],
      [
        { nodes: ['a', { host: 'b', port: 70_000 }], privateKeyFile: '/k' },
        'runtime.ssh.nodes[1].port: expected a port',
      ],
      [
        {
          nodes: [
            { host: 'a', name: 'x' },
            { host: 'b', name: 'x' },
          ],
          privateKeyFile: '/k',
        },
        'runtime.ssh.nodes[1].name: node name x appears twice',
      ],
      [
        { nodes: [{ host: 'a', hostKeyFingerprint: 'MD5:aa' }], privateKeyFile: '/k' },
        'runtime.ssh.nodes[0].hostKeyFingerprint: expected SHA256:',
      ],
      [{ nodes: ['a'], privateKeyFile: '/k', baseDir: 'rel' }, 'runtime.ssh.baseDir: expected an absolute directory'],
    ];
    for (const [options, message] of bad) {
      expect(() => resolveSshOptions(options, {})).toThrow(UserError);
      expect(() => resolveSshOptions(options, {})).toThrow(message);
    }
  });
});
