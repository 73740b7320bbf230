/**
 * Undoing the delay fault on nodes: the rules first (so nothing more is
 * queued), then the helper (which releases what it holds as it exits). Used by
 * the nemesis and by `faultline heal` from the heal state alone.
 */
import type { Runtime } from '../../harness/runtime/runtime.js';
import { forEachNode } from '../util.js';
import { type HelperStats, stopHelper } from './helper.js';
import { removeNetem } from './netem.js';
import { removeDelayRules } from './rules.js';

/**
 * Removes the delay rules and our netem qdiscs and stops the helper on every node of `nodes`, then
 * checks that no rule, helper process or queue binding is left. Idempotent.
 * Resolves with the counts each stopped helper printed (nodes without a
 * helper are absent); rejects naming every node where something is left.
 */
export async function healDelay(
  runtime: Pick<Runtime, 'exec' | 'nodeDir' | 'stopDaemon' | 'daemonRunning' | 'copyTo' | 'startDaemon'>,
  nodes: readonly string[],
): Promise<Record<string, HelperStats>> {
  const stats = await forEachNode(nodes, async (node) => {
    await removeDelayRules(runtime, node);
    await removeNetem(runtime, node);
    return stopHelper(runtime, node);
  });
  return Object.fromEntries(Object.entries(stats).filter((e): e is [string, HelperStats] => e[1] !== undefined));
}

/**
 * `faultline heal`'s part for the delay fault: heals every node of the
 * cluster (the heal state names them all) and resolves with notes for the
 * person, e.g. which helpers were still running. Rejects as healDelay does.
 */
export async function healDelayFromState(
  runtime: Parameters<typeof healDelay>[0],
  nodes: readonly string[],
): Promise<string[]> {
  const stopped = Object.keys(await healDelay(runtime, nodes));
  return stopped.length > 0 ? [`stopped the delay helper on ${stopped.join(', ')}`] : [];
}
