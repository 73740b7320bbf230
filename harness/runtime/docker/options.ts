/**
 * Options of the docker runtime, validated up front: a bad value is a UserError
 * that names the option (`runtime.docker.<name>`).
 */
import { UserError } from '../../errors.js';
import type { DockerImageOptions, DockerRuntimeOptions } from './schema.js';

export type { DockerImageOptions, DockerRuntimeOptions, ImageSource } from './schema.js';

export interface ResolvedDockerOptions {
  nodeNames: string[];
  cluster: string;
  /** The subnet's base address as four octets, and its prefix length. */
  subnet: { octets: [number, number, number, number]; prefix: number; cidr: string };
  socketPath: string;
  nodeDir: string;
  image: Required<Omit<DockerImageOptions, 'tag' | 'mirror'>> & { tag?: string; mirror?: string };
}

const NAME = /^[a-z0-9][a-z0-9_.-]{0,39}$/;

/** Returns the options with defaults filled in; throws UserError naming the bad option. */
export function resolveDockerOptions(options: DockerRuntimeOptions = {}): ResolvedDockerOptions {
  const where = (name: string) => `runtime.docker.${name}`;

  const cluster = options.name ?? 'faultline';
  if (!NAME.test(cluster)) {
    throw new UserError(
      `must be 1-40 of a-z 0-9 _ . - starting with a letter or digit, got ${JSON.stringify(cluster)}`,
      {
        where: where('name'),
      },
    );
  }

  const nodes = options.nodes ?? 5;
  let nodeNames: string[];
  if (typeof nodes === 'number') {
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 200) {
      throw new UserError(`must be a whole number from 1 to 200, got ${nodes}`, { where: where('nodes') });
    }
    nodeNames = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  } else {
    nodeNames = [...nodes];
    if (nodeNames.length === 0) throw new UserError('must name at least one node', { where: where('nodes') });
    for (const n of nodeNames) {
      if (!NAME.test(n)) throw new UserError(`bad node name ${JSON.stringify(n)}`, { where: where('nodes') });
    }
    if (new Set(nodeNames).size !== nodeNames.length) {
      throw new UserError('node names must be distinct', { where: where('nodes') });
    }
  }

  const subnet = parseSubnet(options.subnet ?? '10.231.4.0/24', where('subnet'));
  // .1 is the host's side of the bridge (the gateway); nodes start at .2.
  const capacity = 2 ** (32 - subnet.prefix) - 3;
  if (nodeNames.length > capacity) {
    throw new UserError(`${subnet.cidr} has room for ${capacity} nodes, not ${nodeNames.length}`, {
      where: where('subnet'),
    });
  }

  const nodeDir = options.nodeDir ?? '/var/lib/faultline';
  if (!nodeDir.startsWith('/'))
    throw new UserError(`must be an absolute path, got ${nodeDir}`, { where: where('nodeDir') });

  const image = options.image ?? {};
  const source = image.source ?? 'auto';
  if (!['registry', 'debootstrap', 'auto'].includes(source)) {
    throw new UserError(`must be registry, debootstrap or auto, got ${JSON.stringify(source)}`, {
      where: where('image.source'),
    });
  }
  const extraPackages = image.extraPackages ?? [];
  for (const p of extraPackages) {
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p)) {
      throw new UserError(`bad Debian package name ${JSON.stringify(p)}`, { where: where('image.extraPackages') });
    }
  }

  return {
    nodeNames,
    cluster,
    subnet,
    socketPath: options.socketPath ?? '/var/run/docker.sock',
    nodeDir,
    image: {
      source,
      suite: image.suite ?? 'bookworm',
      extraPackages,
      cacheDir: image.cacheDir ?? '/var/cache/faultline/images',
      ...(image.tag !== undefined ? { tag: image.tag } : {}),
      ...(image.mirror !== undefined ? { mirror: image.mirror } : {}),
    },
  };
}

function parseSubnet(cidr: string, where: string): ResolvedDockerOptions['subnet'] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const nums = m ? m.slice(1).map(Number) : [];
  const [a, b, c, d, prefix] = nums;
  if (
    a === undefined ||
    b === undefined ||
    c === undefined ||
    d === undefined ||
    prefix === undefined ||
    [a, b, c, d].some((o) => o > 255) ||
    prefix < 8 ||
    prefix > 24
  ) {
    throw new UserError(`must be an IPv4 CIDR from /8 to /24 like 10.231.4.0/24, got ${JSON.stringify(cidr)}`, {
      where,
    });
  }
  const base = (((a << 24) | (b << 16) | (c << 8) | d) >>> 0) & ((~0 << (32 - prefix)) >>> 0);
  return { octets: toOctets(base), prefix, cidr: `${toOctets(base).join('.')}/${prefix}` };
}

/** The i-th host address of the subnet (1 = gateway, 2.. = nodes). */
export function hostAddress(subnet: ResolvedDockerOptions['subnet'], i: number): string {
  const [a, b, c, d] = subnet.octets;
  const base = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  return toOctets((base + i) >>> 0).join('.');
}

function toOctets(n: number): [number, number, number, number] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}
