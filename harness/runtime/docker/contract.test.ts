/**
 * The runtime contract on docker: needs root and apt's docker.io. Starts
 * dockerd if none runs (and stops it afterwards); the first run builds the node
 * image with debootstrap (about 30 s here), later runs reuse the cached image.
 */
import Docker from 'dockerode';
import { afterAll, beforeAll, describe } from 'vitest';
import { silentLogger } from '../../log.js';
import { type DockerdHandle, dockerdMissing, startDockerd } from '../../testing/dockerd.js';
import { runtimeContract } from '../contract.js';
import { createDockerRuntime } from './index.js';
import { dockerLeftovers } from './leftovers.js';

const CLUSTER = 'contract';

describe.skipIf(dockerdMissing())('docker runtime', () => {
  let dockerd: DockerdHandle | undefined;
  beforeAll(async () => {
    dockerd = await startDockerd();
  });
  afterAll(async () => {
    await dockerd?.stop();
  });

  runtimeContract(
    'docker',
    async () => createDockerRuntime({ name: CLUSTER, nodes: 3, subnet: '10.231.4.0/24' }, silentLogger),
    { leftovers: (marker) => dockerLeftovers(new Docker(), CLUSTER, marker) },
  );
});
