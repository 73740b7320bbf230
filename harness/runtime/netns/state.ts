/**
 * A small state file per netns cluster, written before anything is created and
 * removed after `down`, so that `faultline clean` can remove what a killed run
 * left behind: <stateDir>/netns-<cluster>.json (default /run/faultline, which
 * like the namespaces themselves does not survive a reboot).
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { makeDir, makeDirFailure } from '../../make-dir.js';
import { pidAlive } from '../../process-alive.js';
import type { NetnsLayout } from './layout.js';

export interface NetnsState {
  kind: 'netns';
  layout: NetnsLayout;
  /** The controller process that brought the cluster up. */
  ownerPid: number;
  createdAt: string;
}

export function stateFile(stateDir: string, cluster: string): string {
  return path.join(stateDir, `netns-${cluster}.json`);
}

/** Writes the cluster's state file. Throws UserError naming runtime.netns.stateDir when it cannot. */
export async function writeState(layout: NetnsLayout): Promise<void> {
  const where = 'runtime.netns.stateDir';
  try {
    await makeDir(layout.stateDir);
  } catch (err) {
    throw new UserError(makeDirFailure(layout.stateDir, err), { where, cause: err });
  }
  const state: NetnsState = { kind: 'netns', layout, ownerPid: process.pid, createdAt: new Date().toISOString() };
  try {
    await writeFile(stateFile(layout.stateDir, layout.cluster), `${JSON.stringify(state, null, 2)}\n`);
  } catch (err) {
    throw new UserError(`cannot write the state file: ${(err as Error).message}`, { where, cause: err });
  }
}

/** The state of one cluster; undefined when there is no (readable) state file. */
export async function readState(stateDir: string, cluster: string): Promise<NetnsState | undefined> {
  return parseState(stateFile(stateDir, cluster));
}

/** Every netns cluster recorded in stateDir (unreadable files are skipped). */
export async function listStates(stateDir: string): Promise<NetnsState[]> {
  let entries: string[];
  try {
    entries = await readdir(stateDir);
  } catch {
    return [];
  }
  const states = await Promise.all(
    entries.filter((e) => /^netns-.+\.json$/.test(e)).map((e) => parseState(path.join(stateDir, e))),
  );
  return states.filter((s): s is NetnsState => s !== undefined);
}

export async function removeState(stateDir: string, cluster: string): Promise<void> {
  await rm(stateFile(stateDir, cluster), { force: true });
}

/**
 * True when the owner pid names a live process other than this one. A zombie
 * (a killed faultline its parent has not reaped yet) is not alive.
 */
export function ownerAlive(state: NetnsState): boolean {
  return state.ownerPid !== process.pid && pidAlive(state.ownerPid);
}

async function parseState(file: string): Promise<NetnsState | undefined> {
  try {
    const state = JSON.parse(await readFile(file, 'utf8')) as NetnsState;
    return state.kind === 'netns' && typeof state.layout?.cluster === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}
