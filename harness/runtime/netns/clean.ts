/**
 * Removes what a killed run left behind: for `faultline clean`.
 */
import { rm } from 'node:fs/promises';
import type { Logger } from '../../log.js';
import { hostLinkName, hubNamespaceName, NETNS_DEFAULTS, type NetnsLayout } from './layout.js';
import { destroyNetwork, linkExists, listNamespaces } from './network.js';
import { listStates, type NetnsState, ownerAlive, readState, removeState } from './state.js';

export interface CleanNetnsOptions {
  /**
   * Clean this cluster: what its state file records, and without one (or
   * beyond it) the namespaces the default layout gives it (`<name>-hub`,
   * `<name>-n<k>`) and its host veth.
   */
  name?: string;
  /** Clean every cluster that has a state file. */
  all?: boolean;
  /** Also clean clusters whose owning faultline process still runs. */
  force?: boolean;
  stateDir?: string;
}

export interface CleanReport {
  /** What was removed, one line per cluster. */
  removed: string[];
  /** Clusters left alone because their owner still runs (without force). */
  skipped: string[];
}

/**
 * Removes the namespaces (after killing their processes), host veths and
 * state files of the named cluster or of all recorded ones. Never touches a
 * namespace that another cluster's state file records (cluster `foo`'s sweep
 * leaves cluster `foo-bar`'s `foo-bar-n1` alone either way).
 * Resolves with what it removed and skipped; throws when removal fails.
 */
export async function cleanNetns(options: CleanNetnsOptions, log: Logger): Promise<CleanReport> {
  const stateDir = options.stateDir ?? NETNS_DEFAULTS.stateDir;
  const report: CleanReport = { removed: [], skipped: [] };
  const recorded = await listStates(stateDir);
  const states: NetnsState[] = [];
  if (options.all) states.push(...recorded);
  if (options.name !== undefined) {
    const state = await readState(stateDir, options.name);
    if (state && !states.some((s) => s.layout.cluster === state.layout.cluster)) states.push(state);
  }

  let nameSkipped = false;
  for (const state of states) {
    const { cluster } = state.layout;
    if (ownerAlive(state) && !options.force) {
      report.skipped.push(`netns cluster ${cluster}: in use by running pid ${state.ownerPid} (use --force)`);
      if (cluster === options.name) nameSkipped = true;
      continue;
    }
    await destroyNetwork(state.layout, log);
    // Node directories go only when the run asked for that (they may hold the logs of the crash).
    if (state.layout.removeNodeDirs) await rm(state.layout.clusterDir, { recursive: true, force: true });
    await removeState(stateDir, cluster);
    report.removed.push(`netns cluster ${cluster}: namespaces ${namespacesOf(state.layout).join(' ')}`);
  }

  // Without a state file (or beyond it): the names the default layout gives this cluster.
  if (options.name !== undefined && !nameSkipped) {
    const name = options.name;
    const others = new Set(recorded.filter((s) => s.layout.cluster !== name).flatMap((s) => namespacesOf(s.layout)));
    const namespaces = (await listNamespaces())
      .filter((ns) => isDefaultNamespaceOf(name, ns) && !others.has(ns))
      .sort();
    const hostLink = hostLinkName(name);
    const hasLink = await linkExists(hostLink);
    if (namespaces.length > 0 || hasLink) {
      const hub = hubNamespaceName(name);
      const nodes = namespaces
        .filter((ns) => ns !== hub)
        .map((namespace) => ({ name: namespace, namespace, address: '', hubPort: '', dir: '' }));
      // '' names no namespace: used when the hub's name is another cluster's.
      await destroyNetwork({ hubNamespace: namespaces.includes(hub) ? hub : '', hostLink, nodes }, log);
      report.removed.push(`netns leftovers of ${name}: ${[...namespaces, ...(hasLink ? [hostLink] : [])].join(' ')}`);
    }
  }
  return report;
}

function namespacesOf(layout: NetnsLayout): string[] {
  return [layout.hubNamespace, ...layout.nodes.map((n) => n.namespace)];
}

/**
 * True for `<cluster>-hub` and `<cluster>-n<k>`, the namespaces planLayout
 * gives a cluster with numbered nodes (explicitly named nodes are found only
 * through the state file).
 */
function isDefaultNamespaceOf(cluster: string, ns: string): boolean {
  if (ns === hubNamespaceName(cluster)) return true;
  return ns.startsWith(`${cluster}-`) && /^n\d+$/.test(ns.slice(cluster.length + 1));
}
