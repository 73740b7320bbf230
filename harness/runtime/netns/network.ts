/**
 * Creates and destroys the namespaces, bridge and veths of one netns cluster
 * (see layout.ts for the topology). Everything goes through `ip`.
 */
import type { Logger } from '../../log.js';
import type { NetnsLayout } from './layout.js';
import { parseSubnet } from './layout.js';
import { runLocal } from './run-local.js';

/** Runs `ip ARGS` (with `-batch -` when given lines) and throws with ip's stderr on failure. */
async function ip(args: string[], batch?: string[]): Promise<string> {
  const argv = ['ip', ...args, ...(batch ? ['-batch', '-'] : [])];
  const result = await runLocal(argv, { stdin: batch ? `${batch.join('\n')}\n` : undefined, timeoutMs: 30_000 });
  if (result.exitCode !== 0) {
    throw new Error(
      `\`${argv.join(' ')}\` exited ${result.exitCode}: ${result.stderr.trim()}${batch ? `\n${batch.join('\n')}` : ''}`,
    );
  }
  return result.stdout;
}

/** Names of the network namespaces on this host. */
export async function listNamespaces(): Promise<string[]> {
  const out = (await ip(['-j', 'netns', 'list'])).trim();
  if (out === '') return [];
  return (JSON.parse(out) as Array<{ name: string }>).map((n) => n.name);
}

/** True when the host has a link of that name. */
export async function linkExists(name: string): Promise<boolean> {
  const result = await runLocal(['ip', 'link', 'show', 'dev', name], { timeoutMs: 10_000 });
  return result.exitCode === 0;
}

/**
 * The host interface (other than `ownLink`) that already has an IPv4 address
 * overlapping the subnet, e.g. "eth0 192.168.1.5/24"; undefined when none does.
 */
export async function subnetInUse(subnet: string, ownLink: string): Promise<string | undefined> {
  const { network, prefixLength } = parseSubnet(subnet);
  const links = JSON.parse(await ip(['-j', '-4', 'addr', 'show'])) as Array<{
    ifname: string;
    addr_info?: Array<{ local: string; prefixlen: number }>;
  }>;
  for (const link of links) {
    if (link.ifname === ownLink) continue;
    for (const a of link.addr_info ?? []) {
      const common = Math.min(prefixLength, a.prefixlen);
      if (networkOf(ipToNumber(a.local), common) === networkOf(network, common)) {
        return `${link.ifname} ${a.local}/${a.prefixlen}`;
      }
    }
  }
  return undefined;
}

function ipToNumber(address: string): number {
  return address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
function networkOf(address: number, prefixLength: number): number {
  const size = 2 ** (32 - prefixLength);
  return address - (address % size);
}

/** Creates the hub namespace with its bridge, one namespace per node, and the controller's veth. */
export async function createNetwork(layout: NetnsLayout): Promise<void> {
  const hub = layout.hubNamespace;
  const host: string[] = [`netns add ${hub}`];
  for (const n of layout.nodes) host.push(`netns add ${n.namespace}`);
  // Create each veth pair with its ends already in the right namespaces: node
  // interface names never appear on the host, so they cannot collide there.
  for (const n of layout.nodes)
    host.push(`link add name eth0 netns ${n.namespace} type veth peer name ${n.hubPort} netns ${hub}`);
  host.push(`link add name ${layout.hostLink} type veth peer name ctl netns ${hub}`);
  host.push(`address add ${layout.controllerAddress}/${layout.prefixLength} dev ${layout.hostLink}`);
  host.push(`link set ${layout.hostLink} up`);
  await ip([], host);

  const hubLines = ['link set lo up', 'link add name br0 type bridge forward_delay 0 stp_state 0'];
  for (const port of ['ctl', ...layout.nodes.map((n) => n.hubPort)]) hubLines.push(`link set ${port} master br0 up`);
  hubLines.push('link set br0 up');
  await ip(['-n', hub], hubLines);

  await Promise.all(
    layout.nodes.map((n) =>
      ip(
        ['-n', n.namespace],
        ['link set lo up', `address add ${n.address}/${layout.prefixLength} dev eth0`, 'link set eth0 up'],
      ),
    ),
  );
}

/**
 * Kills every process in the cluster's namespaces (SIGKILL works on paused
 * ones too), then deletes the host veth and the namespaces. Skips what does
 * not exist, so it is idempotent. Throws when something exists but cannot be
 * removed.
 */
export async function destroyNetwork(
  layout: Pick<NetnsLayout, 'hubNamespace' | 'hostLink' | 'nodes'>,
  log: Logger,
): Promise<void> {
  const present = new Set(await listNamespaces());
  const namespaces = [...layout.nodes.map((n) => n.namespace), layout.hubNamespace].filter((ns) => present.has(ns));
  for (const ns of namespaces) await killNamespaceProcesses(ns, log);
  if (await linkExists(layout.hostLink)) await ip(['link', 'delete', 'dev', layout.hostLink]);
  if (namespaces.length > 0)
    await ip(
      [],
      namespaces.map((ns) => `netns delete ${ns}`),
    );
}

/** SIGKILLs the processes in a namespace until none is left (they may fork meanwhile). */
export async function killNamespaceProcesses(ns: string, log: Logger): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = (await ip(['netns', 'pids', ns]))
      .split('\n')
      .map((p) => Number.parseInt(p, 10))
      .filter((p) => Number.isInteger(p) && p > 0 && p !== process.pid);
    if (pids.length === 0) return;
    if (attempt === 0) log.debug(`netns ${ns}: killing ${pids.length} process(es): ${pids.join(' ')}`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`netns ${ns}: processes keep running after 50 rounds of SIGKILL`);
}
