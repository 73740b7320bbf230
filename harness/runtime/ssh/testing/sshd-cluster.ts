/**
 * A test fixture: a netns cluster with an sshd on every node, a generated
 * host key and a generated client key that root may log in with. Gives the
 * ssh runtime (and `faultline test --runtime ssh`) real servers to talk to.
 *
 *   const sshd = await startSshdCluster({ name: 't3s', subnet: '10.231.5.0/24', nodes: 3 });
 *   const rt = createSshRuntime(sshd.sshOptions(), log);
 *   ...
 *   await sshd.stop(); // stops sshd, removes the namespaces and the key folder
 *
 * Needs root and /usr/sbin/sshd, ssh-keygen, ip, iptables.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../../log.js';
import { waitUntil } from '../../contract.js';
import { createNetnsRuntime } from '../../netns/index.js';
import { netnsLeftovers } from '../../netns/leftovers.js';
import type { Runtime } from '../../runtime.js';
import type { SshRuntimeOptions } from '../index.js';

export interface SshdClusterOptions {
  /** Cluster name (namespace prefix). */
  name: string;
  subnet: string;
  nodes: number;
}

export interface SshdCluster {
  /** The netns cluster the sshd servers run in (node names n1, n2, ...). */
  readonly cluster: Runtime;
  /** The folder holding the keys and sshd_config (removed by stop). */
  readonly dir: string;
  /** The client's private key file. */
  readonly clientKeyFile: string;
  /** The host key's fingerprint as `ssh-keygen -l` prints it (SHA256:...). */
  readonly hostFingerprint: string;
  /** The sshd_config every server uses. */
  readonly sshdConfig: string;
  /** Where ssh runtimes made with sshOptions() keep their node directories. */
  readonly sshBaseDir: string;
  /** Options of an ssh runtime over these servers (nodes named s<n>), as root with the client key. */
  sshOptions(extra?: Partial<SshRuntimeOptions>): SshRuntimeOptions;
  /** Stops every sshd, removes the namespaces, the key folder and sshBaseDir; throws when something is left. */
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

/** Brings up the netns cluster and an sshd on port 22 of every node; waits until each accepts connections. */
export async function startSshdCluster(options: SshdClusterOptions): Promise<SshdCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `faultline-sshd-${options.name}-`));
  const stateDir = path.join(dir, 'state');
  const sshBaseDir = `/var/lib/faultline/${options.name}-ssh`;
  const keygen = (file: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, file)]);
  keygen('host_key');
  keygen('client_key');
  execFileSync('cp', [path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys')]);
  const hostFingerprint = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, 'host_key.pub')], {
    encoding: 'utf8',
  }).split(' ')[1]!;
  const sshdConfig = path.join(dir, 'sshd_config');
  await writeFile(
    sshdConfig,
    [
      `HostKey ${path.join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PidFile none',
      'MaxStartups 100',
      'MaxSessions 20',
      '',
    ].join('\n'),
  );
  execFileSync('mkdir', ['-p', '/run/sshd']); // sshd's privilege separation directory

  const cluster = createNetnsRuntime(
    { name: options.name, nodes: options.nodes, subnet: options.subnet, stateDir, removeNodeDirs: true },
    silentLogger,
  );
  const stop = async () => {
    await cluster.down();
    await rm(sshBaseDir, { recursive: true, force: true });
    const left = await netnsLeftovers(options.name, undefined, stateDir);
    await rm(dir, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`sshd cluster ${options.name} left behind: ${left.join('; ')}`);
  };
  try {
    for (const n of await cluster.up()) {
      await cluster.startDaemon(n.name, {
        name: 'sshd',
        argv: [SSHD, '-D', '-e', '-f', sshdConfig, '-o', `ListenAddress=${n.address}`],
      });
    }
    for (const n of cluster.nodes()) await waitUntil(`sshd on ${n.name}`, () => canConnect(n.address, 22));
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }

  const clientKeyFile = path.join(dir, 'client_key');
  return {
    cluster,
    dir,
    clientKeyFile,
    hostFingerprint,
    sshdConfig,
    sshBaseDir,
    sshOptions: (extra = {}) => ({
      nodes: cluster.nodes().map((n) => ({ host: n.address, name: `s${n.name}` })),
      user: 'root',
      privateKeyFile: clientKeyFile,
      baseDir: sshBaseDir,
      connectTimeoutMs: 5_000,
      ...extra,
    }),
    stop,
  };
}

/** True when a TCP connection to host:port succeeds within a second. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
