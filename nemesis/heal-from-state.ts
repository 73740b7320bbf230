/**
 * Heals a cluster from the state on disk alone (`faultline heal`): for a
 * controller that died (even by SIGKILL) with faults in place.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../harness/errors.js';
import type { Logger } from '../harness/log.js';
import { pidAlive } from '../harness/process-alive.js';
import { attachRuntime, type RuntimeRecord } from '../harness/runtime/attach.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import { parseTargetOptions } from '../targets/options.js';
import type { AnyTarget } from '../targets/target.js';
import type { HealTarget } from './fault.js';
import { type FaultKind, HealState } from './heal-state.js';
import { listRules } from './iptables.js';
import { faultNamed, faultNames } from './registry.js';
import { errorMessage, forEachNode } from './util.js';

/** Where heal state is kept when FAULTLINE_HEAL_ROOT is not set: one folder per cluster. */
export const DEFAULT_HEAL_ROOT = '/var/lib/faultline/heal';

/** The heal root: the environment variable FAULTLINE_HEAL_ROOT when set (and not empty), else DEFAULT_HEAL_ROOT. */
export function healRoot(): string {
  return process.env.FAULTLINE_HEAL_ROOT || DEFAULT_HEAL_ROOT;
}

/** The heal state folder of a cluster under `root` (default: `healRoot()`). */
export function healStateDir(cluster: string, root = healRoot()): string {
  return path.join(root, cluster);
}

/**
 * The pid of the controller that recorded the faults in `stateDir` when that
 * process is still alive (its test is running: healing would fight it);
 * undefined when it is gone, is this process, or is not recorded.
 * Throws UserError on a corrupt runtime.json.
 */
export async function liveOwner(stateDir: string): Promise<number | undefined> {
  const pid = (await new HealState(stateDir).readRuntime())?.ownerPid;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return pidAlive(pid) ? pid : undefined;
}

export interface HealReport {
  stateDir: string;
  /** Fault kinds found and undone. */
  healed: FaultKind[];
  /** Things a person must know or do (e.g. killed nodes a heal without the target cannot restart). */
  notes: string[];
}

/**
 * Undoes every fault recorded in `stateDir` and removes its records; the
 * runtime record stays (it describes the cluster, not a fault).
 * Each fault's own heal undoes it (FaultDefinition.heal). `secrets` are
 * runtime options the heal state leaves out (an ssh key's passphrase);
 * `targetNamed` finds the recorded target (the CLI passes the target
 * registry), for faults that need it: restarting killed nodes, re-adding members.
 * Resolves with what was done; a folder with no pending faults heals nothing.
 * Throws UserError when faults are recorded but the runtime record is missing
 * or unusable; rejects with an Error naming the nodes where undoing failed
 * (their records are kept, so heal can be run again).
 */
export async function healFromState(
  stateDir: string,
  log: Logger,
  secrets: Parameters<typeof attachRuntime>[3] = {},
  targetNamed: (name: string) => AnyTarget | undefined = () => undefined,
): Promise<HealReport> {
  const state = new HealState(stateDir);
  // In registry order (so a partition is healed before a clock is reset, as the run does); unknown names last.
  const rank = (kind: string) => (faultNamed(kind) ? faultNames().indexOf(kind) : Number.MAX_SAFE_INTEGER);
  const pending = (await state.pending()).sort((a, b) => rank(a) - rank(b));
  const report: HealReport = { stateDir, healed: [], notes: [] };
  if (pending.length === 0) return report;
  const record = await state.readRuntime();
  if (!record)
    throw new UserError('faults are recorded but runtime.json (how to reach the nodes) is missing', {
      where: stateDir,
    });
  const attached = await attachRuntime(record, log, path.join(stateDir, 'runtime.json'), secrets);
  const { runtime } = attached;
  const nodes = record.nodes.map((n) => n.name);
  const target = healTarget(record, runtime, log, targetNamed);
  try {
    for (const kind of pending) {
      const fault = faultNamed(kind);
      if (!fault) {
        throw new UserError(`no fault is called ${JSON.stringify(kind)} (known: ${faultNames().join(', ')})`, {
          where: path.join(stateDir, `${kind}.json`),
        });
      }
      report.notes.push(...(await fault.heal(runtime, nodes, (await state.read(kind)) ?? null, target)));
      log.info(`heal: ${kind} healed on ${record.kind} cluster (${nodes.join(', ')})`);
      await state.clear(kind);
      report.healed.push(kind);
    }
    // Verify: nothing of ours left in any node's firewall.
    const leftovers = await forEachNode(nodes, async (n) =>
      (await listRules(runtime, n)).split('\n').filter((l) => l.includes('FAULTLINE')),
    );
    const dirty = Object.entries(leftovers).filter(([, rules]) => rules.length > 0);
    if (dirty.length > 0)
      throw new Error(`rules left after heal: ${dirty.map(([n, r]) => `${n}: ${r.join(' | ')}`).join('; ')}`);
    await state.forgetIfHealed();
  } catch (err) {
    throw new Error(`heal of ${stateDir} failed: ${errorMessage(err)}`, { cause: err });
  } finally {
    await attached.close();
  }
  return report;
}

/** Heal-state folders under `root` (default: `healRoot()`, one per cluster); none when root does not exist. */
export async function healStateDirs(root = healRoot()): Promise<string[]> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => path.join(root, e.name))
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** The recorded target with a context on the attached runtime, or undefined when unknown here. */
function healTarget(
  record: RuntimeRecord,
  runtime: Runtime,
  log: Logger,
  targetNamed: (name: string) => AnyTarget | undefined,
): HealTarget | undefined {
  const target = record.target ? targetNamed(record.target.name) : undefined;
  if (!target || !record.target) return undefined;
  try {
    const options = parseTargetOptions(target, (record.target.options ?? {}) as Record<string, unknown>);
    return { target, ctx: { runtime, nodes: record.nodes, log, options, nodeEnv: () => ({}) } };
  } catch (err) {
    log.warn(`heal: the recorded options of ${target.name} do not parse (${errorMessage(err)}); healing without it`);
    return undefined;
  }
}
