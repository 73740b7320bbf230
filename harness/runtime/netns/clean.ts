/**
 * Removes what a killed run left behind, and the node data runs keep: for `faultline clean`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../log.js';
import { DATA_MARKER, markedClusterDirs, markerOwnerAlive, readMarker, removeClusterDir } from './data-dir.js';
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
  /** Where the node directories are (runtime.netns.baseDir; default /var/lib/faultline). */
  baseDir?: string;
  /** Leave the node directories (the SUT's data and logs) in place. */
  keepData?: boolean;
}

export interface CleanReport {
  /** What was removed, one line per cluster. */
  removed: string[];
  /** Clusters left alone because their owner still runs (without force). */
  skipped: string[];
}

/**
 * Removes the namespaces (after killing their processes), host veths and
 * state files of the named cluster or of all recorded ones, and (unless
 * keepData) their node directories: the one a state file records, and
 * <baseDir>/<name> (with all: every cluster directory under baseDir) when it
 * holds faultline's marker (see data-dir.ts). Never touches a namespace that
 * another cluster's state file records (cluster `foo`'s sweep leaves cluster
 * `foo-bar`'s `foo-bar-n1` alone either way), nor the node directory of a
 * cluster whose controller still runs (unless force).
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
    await removeState(stateDir, cluster);
    report.removed.push(`netns cluster ${cluster}: namespaces ${namespacesOf(state.layout).join(' ')}`);
    if (!options.keepData && (await readMarker(state.layout.clusterDir))) {
      await removeClusterDir(state.layout.clusterDir);
      report.removed.push(`netns cluster ${cluster}: node data ${state.layout.clusterDir}`);
    }
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
  if (!options.keepData) await cleanDataDirs(options, nameSkipped, report);
  return report;
}

/** The node directories under baseDir: of the named cluster, or (all) of every cluster faultline made there. */
async function cleanDataDirs(options: CleanNetnsOptions, nameSkipped: boolean, report: CleanReport): Promise<void> {
  const baseDir = path.resolve(options.baseDir ?? NETNS_DEFAULTS.baseDir);
  const candidates = options.all ? await markedClusterDirs(baseDir) : [];
  if (options.name !== undefined && !nameSkipped && !candidates.some((c) => c.marker.cluster === options.name)) {
    const dir = path.join(baseDir, options.name);
    const marker = await readMarker(dir);
    if (marker) candidates.push({ dir, marker });
    else if (existsSync(dir)) {
      report.skipped.push(`${dir}: has no ${DATA_MARKER} (not made by this faultline); remove it by hand if it is`);
    }
  }
  for (const { dir, marker } of candidates) {
    if (markerOwnerAlive(marker) && !options.force) {
      report.skipped.push(`node data ${dir}: in use by running pid ${marker.ownerPid} (use --force)`);
      continue;
    }
    await removeClusterDir(dir);
    report.removed.push(`netns cluster ${marker.cluster}: node data ${dir}`);
  }
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
