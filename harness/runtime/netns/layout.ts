/**
 * The names and addresses a netns cluster uses, computed from its options
 * before anything is created (so `down` and `faultline clean` can find them).
 *
 * Topology (one cluster):
 *
 *   host ns:   <hostLink> 10.213.0.1/24 ──veth──┐
 *   <cluster>-hub ns:        bridge br0 ── ports ctl, p1, p2, ...
 *   <cluster>-n1 ns: eth0 10.213.0.2/24 ──veth──┘ (p1)
 *
 * The bridge lives in its own "hub" namespace, not on the host: node-to-node
 * frames are bridged there, so they never cross the host's netfilter (dockerd
 * sets the host FORWARD policy to DROP, and br_netfilter would apply it to a
 * host bridge). The host's firewall and sysctls are never touched. The
 * controller talks to the nodes over one veth, as local traffic (INPUT/OUTPUT),
 * never forwarded. Nodes reach only each other and the controller.
 *
 * Default subnet 10.213.0.0/24: inside 10/8 but away from the blocks home
 * routers, VPNs and docker (172.17+/16, 192.168/16, 10.0-10.10) usually take.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UserError } from '../../errors.js';
import type { NetnsOptions } from './schema.js';

export type { NetnsOptions } from './schema.js';

export interface NodeLayout {
  name: string;
  namespace: string;
  address: string;
  /** The node's veth end in the hub namespace (the node's end is always eth0). */
  hubPort: string;
  dir: string;
}

export interface NetnsLayout {
  cluster: string;
  hubNamespace: string;
  /** The controller's veth end on the host (max 15 chars). */
  hostLink: string;
  /** The subnet in CIDR form, e.g. 10.213.0.0/24. */
  subnet: string;
  prefixLength: number;
  controllerAddress: string;
  clusterDir: string;
  nodes: NodeLayout[];
  removeNodeDirs: boolean;
  stateDir: string;
}

export const NETNS_DEFAULTS = {
  name: 'faultline',
  nodes: 5,
  subnet: '10.213.0.0/24',
  baseDir: '/var/lib/faultline',
  stateDir: '/run/faultline',
} as const;

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** The host-side link of a cluster: "fl-" and 8 hex digits of a hash of the name. */
export function hostLinkName(cluster: string): string {
  return `fl-${createHash('sha256').update(cluster).digest('hex').slice(0, 8)}`;
}

/** The hub namespace of a cluster. */
export function hubNamespaceName(cluster: string): string {
  return `${cluster}-hub`;
}

/**
 * Validates the options and computes the layout.
 * Throws UserError naming the option (runtime.netns.<option>) when one is wrong.
 */
export function planLayout(options: NetnsOptions = {}): NetnsLayout {
  const cluster = options.name ?? NETNS_DEFAULTS.name;
  if (!CLUSTER_NAME.test(cluster)) {
    throw new UserError(
      `expected 1-32 letters, digits, "-" or "_" starting with a letter or digit, got ${JSON.stringify(cluster)}`,
      {
        where: 'runtime.netns.name',
      },
    );
  }
  const names = nodeNames(options.nodes ?? NETNS_DEFAULTS.nodes);
  const { network, prefixLength } = parseSubnet(options.subnet ?? NETNS_DEFAULTS.subnet);
  const hostCount = 2 ** (32 - prefixLength) - 2;
  if (names.length + 1 > hostCount) {
    throw new UserError(
      `/${prefixLength} has room for ${hostCount} addresses, but ${names.length} nodes and the controller need ${names.length + 1}`,
      {
        where: 'runtime.netns.subnet',
      },
    );
  }
  const baseDir = options.baseDir ?? NETNS_DEFAULTS.baseDir;
  if (!path.isAbsolute(baseDir) || path.resolve(baseDir) === '/') {
    throw new UserError(`expected an absolute directory other than /, got ${JSON.stringify(baseDir)}`, {
      where: 'runtime.netns.baseDir',
    });
  }
  const clusterDir = path.join(path.resolve(baseDir), cluster);
  return {
    cluster,
    hubNamespace: hubNamespaceName(cluster),
    hostLink: hostLinkName(cluster),
    subnet: `${formatIp(network)}/${prefixLength}`,
    prefixLength,
    controllerAddress: formatIp(network + 1),
    clusterDir,
    nodes: names.map((name, i) => ({
      name,
      namespace: `${cluster}-${name}`,
      address: formatIp(network + 2 + i),
      hubPort: `p${i + 1}`,
      dir: path.join(clusterDir, name),
    })),
    removeNodeDirs: options.removeNodeDirs ?? false,
    stateDir: options.stateDir ?? NETNS_DEFAULTS.stateDir,
  };
}

function nodeNames(nodes: number | string[]): string[] {
  if (typeof nodes === 'number') {
    if (!Number.isInteger(nodes) || nodes < 1 || nodes > 250) {
      throw new UserError(`expected a whole number of nodes from 1 to 250, got ${nodes}`, {
        where: 'runtime.netns.nodes',
      });
    }
    return Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  }
  if (nodes.length === 0) throw new UserError('expected at least one node name', { where: 'runtime.netns.nodes' });
  const seen = new Set<string>();
  for (const name of nodes) {
    if (!NODE_NAME.test(name) || name === 'hub') {
      throw new UserError(
        `node name ${JSON.stringify(name)}: expected 1-32 letters, digits, ".", "-" or "_" (and not "hub")`,
        {
          where: 'runtime.netns.nodes',
        },
      );
    }
    if (seen.has(name))
      throw new UserError(`node name ${JSON.stringify(name)} appears twice`, { where: 'runtime.netns.nodes' });
    seen.add(name);
  }
  return [...nodes];
}

/** Parses "a.b.c.d/p" (16 <= p <= 29, no host bits set) into the network as a number and the prefix length. */
export function parseSubnet(cidr: string): { network: number; prefixLength: number } {
  const where = 'runtime.netns.subnet';
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new UserError(`expected an IPv4 subnet like 10.213.0.0/24, got ${JSON.stringify(cidr)}`, { where });
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) throw new UserError(`${cidr} is not an IPv4 address`, { where });
  const prefixLength = Number(match[5]);
  if (prefixLength < 16 || prefixLength > 29)
    throw new UserError(`prefix length must be 16 to 29, got /${prefixLength}`, { where });
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (network % 2 ** (32 - prefixLength) !== 0) {
    throw new UserError(
      `${cidr} has host bits set; did you mean ${formatIp(network - (network % 2 ** (32 - prefixLength)))}/${prefixLength}?`,
      {
        where,
      },
    );
  }
  return { network, prefixLength };
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
