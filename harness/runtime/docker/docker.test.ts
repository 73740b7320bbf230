/**
 * The docker runtime beyond the shared contract: image cache, what the image
 * holds, stale clusters, ownership, subnet conflicts. Needs root and docker.io;
 * starts dockerd if none runs and stops it afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { hostname } from 'node:os';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { type Logger, silentLogger } from '../../log.js';
import { type DockerdHandle, dockerdMissing, startDockerd } from '../../testing/dockerd.js';
import { TEST_NODE_NEEDS } from '../../testing/node-needs.js';
import {
  attachDockerRuntime,
  CLUSTER_LABEL,
  createDockerRuntime,
  ensureImage,
  OWNER_LABEL,
  removeDockerCluster,
} from './index.js';
import { dockerLeftovers, listDockerClusters } from './leftovers.js';
import { resolveDockerOptions } from './options.js';

const SUBNET = '10.231.4.0/24';

describe('docker runtime without a daemon', () => {
  it('up fails with a UserError naming the socket option', async () => {
    const rt = createDockerRuntime({ socketPath: '/tmp/faultline-no-such-docker.sock' }, silentLogger);
    const error = await rt.up(TEST_NODE_NEEDS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).where).toBe('runtime.docker.socketPath');
    await rt.down(); // nothing was made: a no-op, not a second error
  });
});

describe.skipIf(dockerdMissing())('docker runtime lifecycle', () => {
  let dockerd: DockerdHandle | undefined;
  let docker: Docker;
  const clusters = ['t4life', 't4stale', 't4owned', 't4clash', 't4attach'];

  beforeAll(async () => {
    dockerd = await startDockerd();
    docker = new Docker();
    // On a fresh machine the first build takes ~45 s: do it under the hook timeout, not a test's.
    await ensureImage(docker, resolveDockerOptions({}).image, silentLogger);
  });
  afterAll(async () => {
    for (const c of clusters) await removeDockerCluster(docker, c).catch(() => undefined);
    await dockerd?.stop();
  });

  it('reuses the cached image without rebuilding', async () => {
    const image = resolveDockerOptions({}).image;
    const tag = await ensureImage(docker, image, silentLogger);
    const created = (await docker.getImage(tag).inspect()).Created;
    const lines: string[] = [];
    const capture: Logger = { ...silentLogger, debug: (m) => lines.push(m), info: (m) => lines.push(m) };
    expect(await ensureImage(docker, image, capture)).toBe(tag);
    expect(lines.join('\n')).toContain('reusing cached image');
    expect(lines.join('\n')).not.toContain('building');
    expect((await docker.getImage(tag).inspect()).Created).toBe(created);
  });

  it('gives nodes etcd, the nemesis tools, and each other by name and address', async () => {
    const rt = createDockerRuntime({ name: 't4life', nodes: 3, subnet: SUBNET }, silentLogger);
    try {
      const nodes = await rt.up(TEST_NODE_NEEDS);
      expect(nodes.map((n) => n.address)).toEqual(['10.231.4.2', '10.231.4.3', '10.231.4.4']);
      expect(rt.controllerAddress()).toBe('10.231.4.1');
      expect((await rt.exec('n1', ['/usr/bin/etcd', '--version'])).stdout).toMatch(/etcd Version: 3\./);
      expect((await rt.exec('n1', ['etcdctl', 'version'])).stdout).toMatch(/etcdctl version/);
      for (const tool of ['iptables', 'tc', 'ps', 'pkill', 'ip', 'setsid', 'perl', 'bash']) {
        await rt.exec('n2', ['sh', '-c', `command -v ${tool}`]);
      }
      // libfaketime really shifts the clock of a process.
      const shifted = await rt.exec('n2', ['faketime', '-f', '+10d', 'date', '+%s']);
      const now = await rt.exec('n2', ['date', '+%s']);
      expect(Number(shifted.stdout) - Number(now.stdout)).toBeGreaterThan(9 * 86_400);
      expect((await rt.exec('n3', ['getent', 'hosts', 'n1'])).stdout).toMatch(/^10\.231\.4\.2\s/);
      expect((await rt.exec('n3', ['hostname'])).stdout.trim()).toBe('n3');
      expect((await rt.exec('n3', ['ping', '-c', '1', '-W', '2', 'n2'])).exitCode).toBe(0);
      // A command that cannot start reads like a shell's "command not found".
      const missingBinary = await rt.exec('n1', ['no-such-binary'], { check: false });
      expect([missingBinary.exitCode, missingBinary.stdout]).toEqual([127, '']);
      expect(missingBinary.stderr).toMatch(/executable file not found/);
      await expect(rt.exec('n1', ['ls'], { cwd: '/no/such/dir' })).rejects.toMatchObject({ exitCode: 126 });
    } finally {
      await rt.down();
    }
    expect(await dockerLeftovers(docker, 't4life')).toEqual([]);
  });

  it('attaches to a running cluster from a fresh runtime object: exec works, down leaves the cluster', async () => {
    const options = { name: 't4attach', nodes: 2, subnet: SUBNET };
    const owner = createDockerRuntime(options, silentLogger);
    try {
      await owner.up(TEST_NODE_NEEDS);
      await expect(createDockerRuntime(options, silentLogger).exec('n1', ['true'])).rejects.toThrow(/no node n1/);
      const attached = await attachDockerRuntime(options, silentLogger);
      expect(attached.nodes()).toEqual(owner.nodes());
      expect((await attached.exec('n2', ['hostname'])).stdout.trim()).toBe('n2');
      await attached.down();
      expect(await dockerLeftovers(docker, 't4attach')).toHaveLength(3); // 2 containers + the network
      await expect(attachDockerRuntime({ ...options, nodes: ['n1', 'n9'] }, silentLogger)).rejects.toThrow(
        /runtime\.docker\.name: container faultline-t4attach-n9 of node n9 does not exist/,
      );
    } finally {
      await owner.down();
    }
  });

  it('up clears stale leftovers of its own name, and down removes them all', async () => {
    const first = createDockerRuntime({ name: 't4stale', nodes: 2, subnet: SUBNET }, silentLogger);
    await first.up(TEST_NODE_NEEDS);
    await first.startDaemon('n1', { name: 'orphan', argv: ['sleep', '1000'] });
    // A second run of the same name (as after a crash of the first) starts clean.
    const second = createDockerRuntime({ name: 't4stale', nodes: 3, subnet: SUBNET }, silentLogger);
    expect((await second.up(TEST_NODE_NEEDS)).map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(await second.daemonRunning('n1', 'orphan')).toBe(false);
    expect(await dockerLeftovers(docker, 't4stale')).toHaveLength(4); // 3 containers + the network
    expect(await listDockerClusters(docker)).toContain('t4stale');
    await second.down();
    expect(await dockerLeftovers(docker, 't4stale')).toEqual([]);
    expect(await listDockerClusters(docker)).not.toContain('t4stale');
  });

  it('refuses a cluster name that a live faultline owns, and takes it over once that one is gone', async () => {
    const rt = createDockerRuntime({ name: 't4owned', nodes: 1, subnet: SUBNET }, silentLogger);
    const tag = await ensureImage(docker, resolveDockerOptions({}).image, silentLogger);
    let other: ChildProcess | undefined = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await docker.createContainer({
        name: 'faultline-t4owned-n1',
        Image: tag,
        Cmd: ['sleep', 'infinity'],
        Labels: { [CLUSTER_LABEL]: 't4owned', [OWNER_LABEL]: `${hostname()}:${other.pid}` },
      });
      const error = await rt.up(TEST_NODE_NEEDS).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect(String(error)).toMatch(/in use by a running faultline/);
      other.kill('SIGKILL');
      await new Promise((resolve) => other!.once('exit', resolve));
      other = undefined;
      expect((await rt.up(TEST_NODE_NEEDS)).map((n) => n.name)).toEqual(['n1']);
    } finally {
      other?.kill('SIGKILL');
      await rt.down();
    }
  });

  it('reports a subnet taken by another docker network as a UserError', async () => {
    const a = createDockerRuntime({ name: 't4owned', nodes: 1, subnet: SUBNET }, silentLogger);
    const b = createDockerRuntime({ name: 't4clash', nodes: 1, subnet: SUBNET }, silentLogger);
    try {
      await a.up(TEST_NODE_NEEDS);
      const error = await b.up(TEST_NODE_NEEDS).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).where).toBe('runtime.docker.subnet');
      expect(await dockerLeftovers(docker, 't4clash')).toEqual([]);
    } finally {
      await a.down();
      await b.down();
    }
  });
});
