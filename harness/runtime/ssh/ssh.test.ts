/**
 * The ssh runtime against real sshd servers: one per node of a netns cluster
 * (t3s, 10.231.5.0/24, set up by testing/sshd-cluster.ts), with a generated host key and client key. Runs the
 * shared contract suite, then ssh-specific checks.
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { pidAlive } from '../../process-alive.js';
import { missing } from '../../testing/requirements.js';
import { runtimeContract, waitUntil } from '../contract.js';
import { processesWith } from '../netns/leftovers.js';
import type { Runtime } from '../runtime.js';
import { createSshRuntime, type SshRuntimeOptions } from './index.js';
import { canConnect, type SshdCluster, startSshdCluster } from './testing/sshd-cluster.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'perl', '/usr/sbin/sshd', 'ssh-keygen', 'ss'] });

describe.skipIf(needs)('ssh runtime', () => {
  let sshd: SshdCluster;
  let cluster: Runtime;
  let dir: string;
  let hostFingerprint: string;
  const sshOptions = (extra: Partial<SshRuntimeOptions> = {}): SshRuntimeOptions => sshd.sshOptions(extra);
  /** Established ssh connections on every node (or on the given one). */
  const sshConnections = async (only?: string) => {
    let count = 0;
    for (const n of cluster.nodes().filter((x) => only === undefined || x.name === only)) {
      const r = await cluster.exec(n.name, ['ss', '-Htn', 'state', 'established', '( sport = :22 )']);
      count += r.stdout.split('\n').filter((l) => l.trim() !== '').length;
    }
    return count;
  };

  beforeAll(async () => {
    sshd = await startSshdCluster({ name: 't3s', nodes: 3, subnet: '10.231.5.0/24' });
    ({ cluster, dir, hostFingerprint } = sshd);
  });

  afterAll(async () => {
    await sshd?.stop();
  });

  runtimeContract('ssh', async () => createSshRuntime(sshOptions(), silentLogger), {
    leftovers: async (marker) => {
      // The sshd session processes end shortly after the client closes.
      await waitUntil('ssh sessions to close', async () => (await sshConnections()) === 0).catch(() => {});
      const left = await processesWith(marker);
      const sessions = await sshConnections();
      return [...left.map((p) => `process ${p}`), ...(sessions > 0 ? [`${sessions} ssh connection(s)`] : [])];
    },
  });

  describe('connections', () => {
    it('reconnects after the connection drops', async () => {
      const rt = createSshRuntime(sshOptions(), silentLogger);
      try {
        await rt.up();
        expect((await rt.exec('sn1', ['echo', 'one'])).stdout).toBe('one\n');
        // Kill the sshd session processes on n1 (not the listening sshd).
        const listener = (await cluster.daemonPid('n1', 'sshd'))!;
        const killed = await cluster.exec('n1', ['sh', '-c', `pkill -KILL -P ${listener}; echo done`]);
        expect(killed.stdout).toBe('done\n');
        await waitUntil('the session to drop', async () => (await sshConnections('n1')) === 0);
        expect((await rt.exec('sn1', ['echo', 'two'])).stdout).toBe('two\n');
      } finally {
        await rt.down();
      }
    });

    it('checks the host key fingerprint when one is configured', async () => {
      const good = createSshRuntime(
        sshOptions({ nodes: [{ host: cluster.node('n1').address, hostKeyFingerprint: hostFingerprint }] }),
        silentLogger,
      );
      await good.up();
      await good.down();
      const bad = createSshRuntime(
        sshOptions({ nodes: [{ host: cluster.node('n1').address, hostKeyFingerprint: `SHA256:${'A'.repeat(43)}` }] }),
        silentLogger,
      );
      await expect(bad.up()).rejects.toThrow(/does not match hostKeyFingerprint/);
      await bad.down();
    });

    it('reports a node it cannot reach as a UserError naming the node', async () => {
      const rt = createSshRuntime(
        sshOptions({ nodes: [{ host: '10.231.5.200', name: 'ghost' }], connectTimeoutMs: 500 }),
        silentLogger,
      );
      const err = await rt.up().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toContain('ghost');
      await rt.down();
    });

    it('runs everything through sudo -n for a user that is not root', async () => {
      // A second sshd on n3 (port 2222) in a private mount namespace where
      // /etc/passwd, /etc/shadow, /etc/group and /etc/sudoers know an extra
      // user with passwordless sudo: the host's own files stay untouched.
      const files = { passwd: '/etc/passwd', shadow: '/etc/shadow', group: '/etc/group' } as const;
      for (const [name, original] of Object.entries(files)) {
        const extra = {
          passwd: 'fltest:x:4242:4242:faultline test:/tmp:/bin/sh',
          shadow: 'fltest:*:19000:0:99999:7:::',
          group: 'fltest:x:4242:',
        }[name as keyof typeof files];
        await writeFile(path.join(dir, name), `${(await readFile(original, 'utf8')).trimEnd()}\n${extra}\n`, {
          mode: 0o600,
        });
      }
      // sshd reads authorized_keys as the user.
      await chmod(dir, 0o755);
      await chmod(path.join(dir, 'authorized_keys'), 0o644);
      await writeFile(path.join(dir, 'sudoers'), 'root ALL=(ALL:ALL) ALL\nfltest ALL=(ALL) NOPASSWD: ALL\n', {
        mode: 0o440,
      });
      const binds = [...Object.entries(files), ['sudoers', '/etc/sudoers']]
        .map(([name, target]) => `mount --bind ${path.join(dir, name!)} ${target}`)
        .join(' && ');
      const n3 = cluster.node('n3');
      await cluster.startDaemon('n3', {
        name: 'sshd-sudo',
        argv: [
          'unshare',
          '--mount',
          '--propagation',
          'private',
          'sh',
          '-c',
          `${binds} && exec /usr/sbin/sshd -D -e -f ${path.join(dir, 'sshd_config')} -o ListenAddress=${n3.address}:2222`,
        ],
      });
      try {
        await waitUntil('sshd on port 2222', () => canConnect(n3.address, 2222));
        const node = { host: n3.address, port: 2222, user: 'fltest', name: 'sudo-node' };
        const rt = createSshRuntime(sshOptions({ nodes: [node] }), silentLogger);
        try {
          await rt.up();
          expect((await rt.exec('sudo-node', ['id', '-u'])).stdout).toBe('0\n');
          expect((await rt.exec('sudo-node', ['sh', '-c', 'echo "$V"'], { env: { V: 'kept by sudo' } })).stdout).toBe(
            'kept by sudo\n',
          );
          const { pid } = await rt.startDaemon('sudo-node', { name: 'rooted', argv: ['sleep', '1000'] });
          expect(await rt.daemonRunning('sudo-node', 'rooted')).toBe(true);
          expect((await readFile(`/proc/${pid}/status`, 'utf8')).match(/^Uid:\s+(\d+)/m)?.[1]).toBe('0');
          const local = path.join(dir, 'sudo-copy');
          await writeFile(local, 'root-owned\n');
          await rt.copyTo('sudo-node', local, `${rt.nodeDir('sudo-node')}/copied`);
          await rt.copyFrom('sudo-node', `${rt.nodeDir('sudo-node')}/copied`, `${local}.back`);
          expect(await readFile(`${local}.back`, 'utf8')).toBe('root-owned\n');
        } finally {
          await rt.down();
        }
        const noSudo = createSshRuntime(sshOptions({ nodes: [{ ...node, sudo: false }] }), silentLogger);
        await expect(noSudo.up()).rejects.toThrow(/must run as root without sudo/);
        await noSudo.down();
      } finally {
        await cluster.stopDaemon('n3', 'sshd-sudo');
      }
    });

    it('down stops the daemons it started', async () => {
      const rt = createSshRuntime(sshOptions(), silentLogger);
      await rt.up();
      const { pid } = await rt.startDaemon('sn2', { name: 'lingering', argv: ['sleep', '1000'] });
      await rt.down();
      expect(pidAlive(pid)).toBe(false);
    });
  });
});
