/**
 * Docker runtime benchmark: time to bring up and tear down 5 docker nodes with
 * the image already cached, the round trip of one exec, and the time of a first image build without a
 * registry (debootstrap + import). Needs root and docker.io; starts dockerd if
 * none runs and stops it afterwards.
 *
 * The first build is measured on a throwaway variant of the image (the base
 * package set plus the tiny `hello` package, its own cache directory), so the
 * real cached image is neither deleted nor rebuilt; the variant is removed after.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { silentLogger } from '../harness/log.js';
import { ensureImage, imageTag } from '../harness/runtime/docker/image.js';
import { createDockerRuntime } from '../harness/runtime/docker/index.js';
import { resolveDockerOptions } from '../harness/runtime/docker/options.js';
import { startDockerd } from '../harness/testing/dockerd.js';
import { TEST_NODE_NEEDS } from '../harness/testing/node-needs.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

export async function run(): Promise<void> {
  const dockerStart = Date.now();
  const dockerd = await startDockerd();
  console.log(`dockerd: ${dockerd.started ? `started in ${seconds(Date.now() - dockerStart)}` : 'already running'}`);
  const docker = new Docker();
  try {
    // Make sure the real image is cached before timing up/down.
    const cacheStart = Date.now();
    const tag = await ensureImage(docker, resolveDockerOptions({}).image, silentLogger);
    console.log(`image ${tag} ready in ${seconds(Date.now() - cacheStart)} (0 s build when cached)`);

    const ups: number[] = [];
    const downs: number[] = [];
    let execMs = Number.NaN;
    for (let round = 0; round < 3; round++) {
      const rt = createDockerRuntime({ name: 'bench', nodes: 5, subnet: '10.231.6.0/24' }, silentLogger);
      const t0 = Date.now();
      await rt.up(TEST_NODE_NEEDS);
      const t1 = Date.now();
      if (round === 0) {
        const e0 = Date.now();
        for (let i = 0; i < 30; i++) await rt.exec('n1', ['true']);
        execMs = (Date.now() - e0) / 30;
      }
      const t1down = Date.now();
      await rt.down();
      const t2 = Date.now();
      ups.push(t1 - t0);
      downs.push(t2 - t1down);
    }
    console.log(`5 nodes up (cached image):   median ${seconds(median(ups))}  [${ups.map(seconds).join(', ')}]`);
    console.log(`5 nodes down:                median ${seconds(median(downs))}  [${downs.map(seconds).join(', ')}]`);
    console.log(`exec round trip (\`true\`):   ${execMs.toFixed(0)} ms (mean of 30)`);

    const cacheDir = await mkdtemp(join(tmpdir(), 'faultline-bench-image-'));
    const variant = resolveDockerOptions({
      image: { source: 'debootstrap', extraPackages: ['hello'], cacheDir },
    }).image;
    const variantTag = imageTag(variant);
    try {
      await docker
        .getImage(variantTag)
        .remove({ force: true })
        .catch(() => undefined);
      const b0 = Date.now();
      await ensureImage(docker, variant, silentLogger);
      const buildMs = Date.now() - b0;
      const tarballs = await readdir(cacheDir);
      const size = tarballs[0] ? (await stat(join(cacheDir, tarballs[0]))).size : 0;
      const imageSize = (await docker.getImage(variantTag).inspect()).Size;
      console.log(
        `first build (debootstrap + import, no registry): ${seconds(buildMs)}; rootfs tarball ${(size / 2 ** 20).toFixed(0)} MiB, image ${(imageSize / 2 ** 20).toFixed(0)} MiB`,
      );
    } finally {
      await docker
        .getImage(variantTag)
        .remove({ force: true })
        .catch(() => undefined);
      await rm(cacheDir, { recursive: true, force: true });
    }
  } finally {
    await dockerd.stop();
  }
}
