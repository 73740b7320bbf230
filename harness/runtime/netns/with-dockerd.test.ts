/**
 * The netns contract again, while a docker daemon runs on the host with its
 * usual host changes (FORWARD policy DROP, DOCKER chains, br_netfilter) and a
 * docker cluster is up next to it. Starts dockerd if none runs and stops it
 * afterwards (restoring the host firewall).
 */
import Docker from 'dockerode';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../log.js';
import { type DockerdHandle, dockerdMissing, startDockerd } from '../../testing/dockerd.js';
import { missing } from '../../testing/requirements.js';
import { runtimeContract } from '../contract.js';
import { createDockerRuntime } from '../docker/index.js';
import { dockerLeftovers } from '../docker/leftovers.js';
import type { Runtime } from '../runtime.js';
import { createNetnsRuntime } from './index.js';
import { netnsLeftovers } from './leftovers.js';

const STATE_DIR = '/tmp/faultline-test-state-with-dockerd';
const NETNS_CLUSTER = 't3d';
const DOCKER_CLUSTER = 'beside-netns';
const needs = dockerdMissing() ?? missing({ root: true, commands: ['ip', 'iptables', 'perl', 'bash', 'setsid'] });

describe.skipIf(needs)('netns runtime while dockerd runs on the host', () => {
  let dockerd: DockerdHandle | undefined;
  let neighbour: Runtime | undefined;
  let forwardPolicy: string | undefined;

  beforeAll(async () => {
    dockerd = await startDockerd();
    // dockerd sets the FORWARD policy to DROP only when it had to turn
    // ip_forward on; on a host where forwarding was already on it leaves ACCEPT.
    // Put the harsher fresh-host condition in place, and restore it afterwards.
    forwardPolicy = /^-P FORWARD (\S+)/m.exec((await execa('iptables', ['-w', '-S', 'FORWARD'])).stdout)?.[1];
    await execa('iptables', ['-w', '-P', 'FORWARD', 'DROP']);
    neighbour = createDockerRuntime({ name: DOCKER_CLUSTER, nodes: 2, subnet: '10.231.5.0/24' }, silentLogger);
    await neighbour.up();
  });
  afterAll(async () => {
    await neighbour?.down();
    if (forwardPolicy) await execa('iptables', ['-w', '-P', 'FORWARD', forwardPolicy]);
    await dockerd?.stop();
  });

  it('dockerd is up and has changed the host firewall as it usually does', async () => {
    const { stdout } = await execa('iptables', ['-w', '-S', 'FORWARD']);
    // The conditions that break a naive host bridge: without them this suite would prove nothing.
    expect(stdout).toContain('-P FORWARD DROP');
    expect(stdout).toContain('-j DOCKER-USER');
    expect(await new Docker().ping()).toBeTruthy();
    expect((await neighbour!.exec('n1', ['true'])).exitCode).toBe(0);
  });

  runtimeContract(
    'netns-with-dockerd',
    async () =>
      createNetnsRuntime(
        { name: NETNS_CLUSTER, nodes: 3, subnet: '10.231.2.0/24', stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      ),
    { leftovers: (marker) => netnsLeftovers(NETNS_CLUSTER, marker, STATE_DIR) },
  );

  it('the docker cluster next to it is unaffected and goes away cleanly', async () => {
    const [a, b] = neighbour!.nodes();
    const ping = await neighbour!.exec(a!.name, ['ping', '-c', '1', '-W', '2', b!.address], { check: false });
    expect(ping.exitCode).toBe(0);
    await neighbour!.down();
    expect(await dockerLeftovers(new Docker(), DOCKER_CLUSTER)).toEqual([]);
  });
});
