/**
 * The nodes' data directories of a netns cluster (<baseDir>/<cluster>/<node>/):
 * the SUT's data and logs, hundreds of MB per node after a long run. They
 * stay after `down` (unless runtime.netns.removeNodeDirs) for a post-mortem;
 * `down` says where they are and how big, and `faultline clean` removes them
 * (unless --keep-data).
 *
 * The cluster directory holds a marker file, written by `up`, so that clean
 * removes only directories faultline made, and leaves alone the one of a
 * cluster whose controller still runs.
 */
import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { makeDir, makeDirFailure } from '../../make-dir.js';
import { pidAlive } from '../../process-alive.js';
import { NETNS_DEFAULTS, type NetnsLayout } from './layout.js';

export const DATA_MARKER = '.faultline-cluster.json';

interface Marker {
  cluster: string;
  /** The controller whose cluster uses the directory; 0 once the cluster is down (see releaseClusterDir). */
  ownerPid: number;
  createdAt: string;
}

/**
 * Creates the cluster directory and writes its marker. Throws UserError
 * naming runtime.netns.baseDir when the directory cannot be created or written.
 */
export async function prepareClusterDir(layout: NetnsLayout): Promise<void> {
  const marker: Marker = { cluster: layout.cluster, ownerPid: process.pid, createdAt: new Date().toISOString() };
  try {
    await makeDir(layout.clusterDir);
    await writeFile(path.join(layout.clusterDir, DATA_MARKER), `${JSON.stringify(marker)}\n`);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).syscall === 'open' ? (err as Error).message : makeDirFailure('', err);
    throw new UserError(`the node directories cannot be made: ${why}`, { where: 'runtime.netns.baseDir', cause: err });
  }
}

/**
 * Says in the marker that no cluster uses the directory any more (the data
 * stays): `down` calls it, so clean need not wait for the controller to exit.
 */
export async function releaseClusterDir(layout: NetnsLayout): Promise<void> {
  const marker = await readMarker(layout.clusterDir);
  if (!marker) return;
  await writeFile(path.join(layout.clusterDir, DATA_MARKER), `${JSON.stringify({ ...marker, ownerPid: 0 })}\n`);
}

/** What a cluster directory holds: its marker (undefined when it has none, or is not there). */
export async function readMarker(clusterDir: string): Promise<Marker | undefined> {
  try {
    const marker = JSON.parse(await readFile(path.join(clusterDir, DATA_MARKER), 'utf8')) as Partial<Marker>;
    if (typeof marker.cluster !== 'string' || typeof marker.ownerPid !== 'number') return undefined;
    return marker as Marker;
  } catch {
    return undefined;
  }
}

/** True when the marker names a live controller other than this process (0: the cluster is down). */
export function markerOwnerAlive(marker: Marker): boolean {
  return marker.ownerPid > 0 && marker.ownerPid !== process.pid && pidAlive(marker.ownerPid);
}

/** The cluster directories under `baseDir` that faultline made (they hold the marker). */
export async function markedClusterDirs(baseDir: string): Promise<Array<{ dir: string; marker: Marker }>> {
  let entries: string[];
  try {
    entries = (await readdir(baseDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  const found: Array<{ dir: string; marker: Marker }> = [];
  for (const name of entries.sort()) {
    const dir = path.join(baseDir, name);
    const marker = await readMarker(dir);
    if (marker) found.push({ dir, marker });
  }
  return found;
}

/** Removes a cluster directory and everything in it. */
export async function removeClusterDir(clusterDir: string): Promise<void> {
  await rm(clusterDir, { recursive: true, force: true });
}

/** Files counted at most by dataSize (beyond: a lower bound). */
const MAX_ENTRIES = 200_000;

/**
 * The bytes of the regular files under `dir` (symlinks not followed), walked
 * iteratively; `atLeast` when the walk stopped after MAX_ENTRIES entries.
 * 0 for a missing directory.
 */
export async function dataSize(dir: string): Promise<{ bytes: number; atLeast: boolean }> {
  let bytes = 0;
  let seen = 0;
  const todo = [dir];
  for (let at = todo.pop(); at !== undefined; at = todo.pop()) {
    const entries = await readdir(at, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      seen += 1;
      if (seen > MAX_ENTRIES) return { bytes, atLeast: true };
      const child = path.join(at, entry.name);
      if (entry.isDirectory()) todo.push(child);
      else if (entry.isFile()) bytes += (await lstat(child).catch(() => undefined))?.size ?? 0;
    }
  }
  return { bytes, atLeast: false };
}

/** "12.3 MB", "512 B" */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The line `down` logs when the node data stays: where, how big, and how to remove it. */
export async function keptDataNote(layout: NetnsLayout): Promise<string> {
  const { bytes, atLeast } = await dataSize(layout.clusterDir);
  const baseDir = path.dirname(layout.clusterDir);
  const baseFlag = baseDir === NETNS_DEFAULTS.baseDir ? '' : ` --base-dir ${baseDir}`;
  return (
    `netns: node data kept in ${layout.clusterDir} (${atLeast ? 'at least ' : ''}${formatBytes(bytes)}); ` +
    `\`faultline clean --name ${layout.cluster}${baseFlag}\` removes it`
  );
}
