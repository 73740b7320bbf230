/**
 * Removing a stored run (`--keep failed` removes the runs that passed), so
 * that the results folder keeps its shape: no empty test folder is left,
 * and results/latest points at the newest run still there.
 */
import { readdir, readlink, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pointLatestAt } from './store.js';

/** A run folder's name: its start time (store.ts runTimestamp). */
const RUN_FOLDER = /^\d{8}T\d{6}(\.\d+)?Z$/;

/**
 * Removes `runDir` (a folder under `resultsRoot`), then its test's folder if
 * that is left empty. When results/latest pointed at it, it is pointed at the
 * newest run left, or removed when none is left. Throws when a removal fails.
 */
export async function removeRunDir(resultsRoot: string, runDir: string): Promise<void> {
  const run = resolve(runDir);
  await rm(run, { recursive: true, force: true });
  const testDir = dirname(run);
  if ((await readdir(testDir).catch(() => ['?'])).length === 0) await rmdir(testDir).catch(() => undefined);

  const latest = resolve(resultsRoot, 'latest');
  const target = await readlink(latest).catch(() => undefined);
  if (target === undefined) return;
  const pointsAtGone = await stat(resolve(resultsRoot, target)).then(
    () => false,
    () => true,
  );
  if (!pointsAtGone) return;
  const newest = await newestRun(resultsRoot);
  if (newest) await pointLatestAt(resultsRoot, newest);
  else await rm(latest, { force: true });
}

/** The newest run folder under resultsRoot (results/<test>/<timestamp>), or undefined when there is none. */
async function newestRun(resultsRoot: string): Promise<string | undefined> {
  let newest: { name: string; dir: string } | undefined;
  for (const test of await readdir(resultsRoot, { withFileTypes: true })) {
    if (!test.isDirectory()) continue;
    for (const run of await readdir(join(resultsRoot, test.name), { withFileTypes: true }).catch(() => [])) {
      if (!run.isDirectory() || !RUN_FOLDER.test(run.name)) continue;
      if (!newest || run.name > newest.name)
        newest = { name: run.name, dir: resolve(resultsRoot, test.name, run.name) };
    }
  }
  return newest?.dir;
}
