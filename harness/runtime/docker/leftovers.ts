/**
 * What a docker cluster left behind, for tests and `faultline clean`:
 * containers labelled with the cluster name, its network, and host processes
 * whose command line carries a marker (processes inside containers are visible
 * from the host while their container lives).
 */
import { readdir, readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { CLUSTER_LABEL, networkName } from './index.js';

/** Resolves with one description per leftover; [] when clean. */
export async function dockerLeftovers(docker: Docker, cluster: string, marker?: string): Promise<string[]> {
  const found: string[] = [];
  const containers = await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${cluster}`] } });
  for (const c of containers) found.push(`container ${c.Names.join(',')} (${c.State})`);
  const networks = await docker.listNetworks({ filters: { name: [networkName(cluster)] } });
  // The name filter matches substrings; keep exact names only.
  for (const n of networks.filter((n) => n.Name === networkName(cluster))) found.push(`network ${n.Name}`);
  if (marker !== undefined) {
    for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(marker)) found.push(`process ${pid}: ${cmdline.replace(/\0/g, ' ').trim()}`);
    }
  }
  return found;
}

/** The cluster names that have faultline containers or networks on this daemon, sorted. */
export async function listDockerClusters(docker: Docker): Promise<string[]> {
  const names = new Set<string>();
  for (const c of await docker.listContainers({ all: true, filters: { label: [CLUSTER_LABEL] } })) {
    const cluster = c.Labels[CLUSTER_LABEL];
    if (cluster) names.add(cluster);
  }
  for (const n of await docker.listNetworks({ filters: { label: [CLUSTER_LABEL] } })) {
    const cluster = n.Labels?.[CLUSTER_LABEL];
    if (cluster) names.add(cluster);
  }
  return [...names].sort();
}
