/**
 * The compiled package (dist/), for the tests that use it as a user would
 * (the package test, examples/plugin-target): built with `npm run build`
 * when it is missing or older than any source, never used stale.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.built');
const SOURCES = ['index.ts', 'harness', 'checkers', 'workloads', 'nemesis', 'targets', 'scripts', 'bin'];
const CONFIG = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time of the package's sources (tests excluded), in ms. */
function newestSource(): number {
  let newest = 0;
  const visit = (file: string): void => {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      for (const name of readdirSync(file)) if (name !== 'node_modules') visit(path.join(file, name));
    } else if (!/\.test\.ts$/.test(file)) newest = Math.max(newest, stat.mtimeMs);
  };
  for (const entry of [...SOURCES, ...CONFIG]) {
    const file = path.join(ROOT, entry);
    if (existsSync(file)) visit(file);
  }
  return newest;
}

/** Builds dist/ unless it is newer than every source. Throws with the build's output when it fails. */
export function ensureBuilt(): void {
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()) return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 280_000 });
}
