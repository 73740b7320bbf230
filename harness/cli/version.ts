/**
 * faultline's version, from its package.json: the first one named
 * "faultline" above this file (harness/cli/ in a checkout, dist/harness/cli/
 * in the installed package).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The version string, e.g. "0.1.0"; "unknown" when no package.json is found (never throws). */
export function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'faultline' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // Not here: look further up.
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}
