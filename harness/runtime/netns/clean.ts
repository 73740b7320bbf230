/**
 * Removes what a killed run left behind: for `faultline clean`.
 */
import { rm } from 'node:fs/promises';
import type { Logger } from '../../log.js';
import { hostLinkName, hubNamespaceName, NETNS_DEFAULTS } from './layout.js';
import { destroyNetwork, linkExists, listNamespaces } from './network.js';
import { listStates, ownerAlive, readState, removeState, type NetnsState } from './state.js';

export interface CleanNetnsOptions {
  /** Clean this cluster: its state file, namespaces named `<name>-*`, its host veth. */
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
 * state files of the named cluster or of all recorded ones.
 * Resolves with what it removed and skipped; throws when removal fails.
 */
export async function cleanNetns(options: CleanNetnsOptions, log: Logger): Promise<CleanReport> {
  const stateDir = options.stateDir ?? NETNS_DEFAULTS.stateDir;
  const report: CleanReport = { removed: [], skipped: [] };
  const states: NetnsState[] = [];
  if (options.all) states.push(...(await listStates(stateDir)));
  if (options.name !== undefined) {
    const state = await readState(stateDir, options.name);
    if (state && !states.some((s) => s.layout.cluster === state.layout.cluster)) states.push(state);
  }

  for (const state of states) {
    const { cluster } = state.layout;
    if (ownerAlive(state) && !options.force) {
      report.skipped.push(`netns cluster ${cluster}: in use by running pid ${state.ownerPid} (use --force)`);
      continue;
    }
    await destroyNetwork(state.layout, log);
    // Node directories go only when the run asked for that (they may hold the logs of the crash).
    if (state.layout.removeNodeDirs) await rm(state.layout.clusterDir, { recursive: true, force: true });
    await removeState(stateDir, cluster);
    report.removed.push(`netns cluster ${cluster}: namespaces ${[state.layout.hubNamespace, ...state.layout.nodes.map((n) => n.namespace)].join(' ')}`);
  }

  // Without a state file (or beyond it): anything carrying the name's prefix.
  if (options.name !== undefined && !report.skipped.some((s) => s.includes(`cluster ${options.name}:`))) {
    const prefix = `${options.name}-`;
    const namespaces = (await listNamespaces()).filter((ns) => ns.startsWith(prefix));
    const hostLink = hostLinkName(options.name);
    const hasLink = await linkExists(hostLink);
    if (namespaces.length > 0 || hasLink) {
      const nodes = namespaces
        .filter((ns) => ns !== hubNamespaceName(options.name!))
        .map((namespace) => ({ name: namespace, namespace, address: '', hubPort: '', dir: '' }));
      await destroyNetwork({ hubNamespace: hubNamespaceName(options.name), hostLink, nodes }, log);
      report.removed.push(`netns leftovers of ${options.name}: ${[...namespaces, ...(hasLink ? [hostLink] : [])].join(' ')}`);
    }
  }
  return report;
}
