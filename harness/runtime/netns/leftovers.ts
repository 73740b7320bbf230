/**
 * What a netns cluster left on this host: for tests (the contract suite's
 * `leftovers`) and for checking that `down` and `faultline clean` worked.
 */
import { access, readdir, readFile } from 'node:fs/promises';
import { hostLinkName, NETNS_DEFAULTS } from './layout.js';
import { linkExists, listNamespaces } from './network.js';
import { runLocal } from './run-local.js';
import { stateFile } from './state.js';

/**
 * Describes each thing left of cluster `cluster`: namespaces named
 * `<cluster>-*`, its host veth, netns mounts, its state file, and (when
 * `marker` is given) host processes whose command line contains the marker.
 * Resolves with [] when nothing is left.
 */
export async function netnsLeftovers(
  cluster: string,
  marker?: string,
  stateDir: string = NETNS_DEFAULTS.stateDir,
): Promise<string[]> {
  const found: string[] = [];
  for (const ns of await listNamespaces()) if (ns.startsWith(`${cluster}-`)) found.push(`namespace ${ns}`);
  if (await linkExists(hostLinkName(cluster))) found.push(`link ${hostLinkName(cluster)}`);
  const mounts = await readFile('/proc/self/mounts', 'utf8');
  for (const line of mounts.split('\n')) if (line.includes(`/netns/${cluster}-`)) found.push(`mount ${line}`);
  try {
    await access(stateFile(stateDir, cluster));
    found.push(`state file ${stateFile(stateDir, cluster)}`);
  } catch {
    // No state file: good.
  }
  if (marker !== undefined) for (const p of await processesWith(marker)) found.push(`process ${p}`);
  return found;
}

/** Lines of the host's iptables rules (every table, as iptables-save prints them) that contain any of the words. */
export async function hostRulesMentioning(words: readonly string[]): Promise<string[]> {
  const result = await runLocal(['iptables-save'], { timeoutMs: 10_000 });
  if (result.exitCode !== 0) throw new Error(`iptables-save exited ${result.exitCode}: ${result.stderr.trim()}`);
  return result.stdout.split('\n').filter((line) => words.some((w) => line.includes(w)));
}

/** "PID command line" of every live host process whose command line contains `text`. */
export async function processesWith(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const zombie = stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      if (!zombie && cmdline.includes(text)) found.push(`${entry} ${cmdline}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
