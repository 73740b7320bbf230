/**
 * The node image: Debian with what the targets and nemeses need inside a node.
 * Built once and cached under a tag derived from a hash of the package list and
 * the build recipe, so later runs reuse it without rebuilding.
 *
 * Two ways to build it:
 *  - registry: a Dockerfile FROM debian:<suite>-slim plus apt-get (needs Docker Hub);
 *  - debootstrap: scripts/build-node-image.sh makes a Debian root from the apt
 *    mirror into a cached tarball, which is imported with the image-create API.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { execa } from 'execa';
import type { Logger } from '../../log.js';
import { packTar } from './archive.js';
import type { ResolvedDockerOptions } from './options.js';

/**
 * What every node image has: basic shell tools. The faults' and the target's
 * packages come with `up` (Runtime.up's needs), so the image holds exactly
 * what a run needs and no target is baked in.
 */
export const BASE_PACKAGES = [
  'bash',
  'coreutils',
  'procps', // ps, top: for looking around a node by hand (the kill and pause nemeses use /proc and kill)
  'psmisc', // pstree, fuser: the same
  'iproute2', // ip, for looking at a node's network by hand
  'netcat-openbsd',
  'iputils-ping',
  'curl',
] as const;

export const IMAGE_REPO = 'faultline-node';

const SCRIPT = fileURLToPath(new URL('../../../scripts/build-node-image.sh', import.meta.url));

/** The Dockerfile used when a registry is reachable. */
export function dockerfile(suite: string, packages: readonly string[]): string {
  return [
    `FROM debian:${suite}-slim`,
    `RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${packages.join(' ')} \\`,
    '  && rm -rf /var/lib/apt/lists/*',
    'CMD ["sleep", "infinity"]',
    '',
  ].join('\n');
}

/** The packages of the image, sorted and without duplicates. */
export function imagePackages(image: ResolvedDockerOptions['image']): string[] {
  return [...new Set([...BASE_PACKAGES, ...image.extraPackages])].sort();
}

/**
 * The cache tag `faultline-node:<hash>`: the hash covers the suite, the package
 * list and both recipes (the debootstrap script and the Dockerfile), not the
 * mirror, so an image built either way serves both.
 */
export function imageTag(image: ResolvedDockerOptions['image']): string {
  const packages = imagePackages(image);
  const hash = createHash('sha256')
    .update(
      JSON.stringify({
        suite: image.suite,
        packages,
        script: readFileSync(SCRIPT, 'utf8'),
        dockerfile: dockerfile(image.suite, packages),
      }),
    )
    .digest('hex')
    .slice(0, 16);
  return `${IMAGE_REPO}:${hash}`;
}

/** The first Debian mirror in this host's apt sources; deb.debian.org when none is found. */
export function hostDebianMirror(): string {
  const fallback = 'http://deb.debian.org/debian';
  const candidates: string[] = [];
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)
      .filter((f) => f.endsWith('.sources') || f.endsWith('.list'))
      .sort()) {
      candidates.push(readFileSync(join(dir, f), 'utf8'));
    }
  }
  if (existsSync('/etc/apt/sources.list')) candidates.unshift(readFileSync('/etc/apt/sources.list', 'utf8'));
  for (const text of candidates) {
    // deb822 (`URIs: http://...`) or one-line (`deb [opts] http://... suite comp`) entries.
    for (const line of text.split('\n')) {
      const uri = /^URIs:\s*(\S+)/.exec(line)?.[1] ?? /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line)?.[1];
      if (uri && /\/debian\/?$/.test(uri) && !uri.includes('security')) return uri.replace(/\/$/, '');
    }
  }
  return fallback;
}

/**
 * Returns the tag of a usable node image, building it if needed: the given
 * `image.tag` as is; the cached tag when present; otherwise a fresh build from
 * the registry or debootstrap per `image.source`. Throws when the build fails
 * (for `auto`, only when debootstrap fails too).
 */
export async function ensureImage(docker: Docker, image: ResolvedDockerOptions['image'], log: Logger): Promise<string> {
  if (image.tag !== undefined) return image.tag;
  const tag = imageTag(image);
  if (await imageExists(docker, tag)) {
    log.debug(`docker: reusing cached image ${tag}`);
    return tag;
  }
  const source =
    image.source === 'auto'
      ? (await registryReachable(docker, image.suite, log))
        ? 'registry'
        : 'debootstrap'
      : image.source;
  const started = Date.now();
  log.info(`docker: building node image ${tag} via ${source}`);
  if (source === 'registry') await buildFromDockerfile(docker, image, tag);
  else await buildFromDebootstrap(docker, image, tag, log);
  log.info(`docker: built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return tag;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/**
 * True when the daemon can pull the Dockerfile's base image within a few
 * seconds (or already has it); false on any error or timeout. A pull is the
 * honest test: it goes through the daemon's own registry, mirror and proxy settings.
 */
export async function registryReachable(
  docker: Docker,
  suite: string,
  log: Logger,
  timeoutMs = 8000,
): Promise<boolean> {
  const base = `debian:${suite}-slim`;
  if (await imageExists(docker, base)) return true;
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([
      docker.pull(base, { abortSignal: abort.signal }).then((stream) => follow(docker, stream)),
      timeout,
    ]);
    return true;
  } catch (error) {
    log.info(
      `docker: registry not reachable (pull ${base}: ${(error as Error).message.split('\n')[0]}); using debootstrap`,
    );
    return false;
  } finally {
    clearTimeout(timer);
  }
}

async function buildFromDockerfile(docker: Docker, image: ResolvedDockerOptions['image'], tag: string): Promise<void> {
  const context = packTar([
    { name: 'Dockerfile', data: Buffer.from(dockerfile(image.suite, imagePackages(image))), mode: 0o644 },
  ]);
  const stream = await docker.buildImage(context, { t: tag, rm: true, forcerm: true });
  await follow(docker, stream);
}

async function buildFromDebootstrap(
  docker: Docker,
  image: ResolvedDockerOptions['image'],
  tag: string,
  log: Logger,
): Promise<void> {
  const hash = tag.split(':')[1] ?? 'unknown';
  const tarball = join(image.cacheDir, `rootfs-${image.suite}-${hash}.tar`);
  await mkdir(dirname(tarball), { recursive: true });
  const mirror = image.mirror ?? hostDebianMirror();
  try {
    const result = await execa(SCRIPT, [tarball, image.suite, mirror, imagePackages(image).join(',')], { all: true });
    log.debug(result.all ?? '');
  } catch (error) {
    const all = (error as { all?: string }).all ?? '';
    throw new Error(`debootstrap build of the node image failed:\n${all.trim().split('\n').slice(-15).join('\n')}`, {
      cause: error,
    });
  }
  const [repo, version] = tag.split(':');
  const stream = await docker.importImage(tarball, { repo, tag: version, changes: 'CMD ["sleep", "infinity"]' });
  await follow(docker, stream);
  if (!(await imageExists(docker, tag)))
    throw new Error(`docker import of ${tarball} finished but ${tag} does not exist`);
}

/** Waits for a progress stream to end; rejects on a stream error or an `error` event in it. */
function follow(docker: Docker, stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = (events ?? []).find((e) => e.error !== undefined);
        if (error) reject(error);
        else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
        else resolve();
      },
    );
  });
}
