/**
 * `mkdir -p` that always ends. Node's own `mkdir(path, { recursive: true })`
 * never returns for some paths the kernel refuses with ENOENT although the
 * parent exists (anything under /proc, e.g. /proc/x/y): it goes back to the
 * parent, finds it, and tries again, forever (Node 20). Here each missing
 * component is created once, from the root down, and the first failure is
 * thrown.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Creates `dir` and its missing parents (`mode` for the ones it creates).
 * Resolves when it is a directory (it may already have been one); rejects
 * with the errno error of the first component that cannot be created, or
 * ENOTDIR when a component exists but is not a directory.
 */
export async function makeDir(dir: string, mode?: number): Promise<void> {
  const full = path.resolve(dir);
  const missing: string[] = [];
  // Walk up to the deepest component that exists.
  for (let at = full; ; at = path.dirname(at)) {
    const kind = await kindOf(at);
    if (kind === 'dir') break;
    if (kind === 'other') throw notDirectory(at);
    missing.unshift(at);
    if (path.dirname(at) === at) break;
  }
  for (const component of missing) {
    try {
      await mkdir(component, mode === undefined ? {} : { mode });
    } catch (err) {
      // Someone else made it meanwhile: fine when it is a directory.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await kindOf(component)) === 'dir') continue;
      throw err;
    }
  }
}

/** A message for a makeDir failure: "cannot create /proc/x: no such file or directory". */
export function makeDirFailure(dir: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const at = e.path ?? dir;
  const why: Record<string, string> = {
    ENOENT: 'the system does not allow a directory there',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'it is not a directory',
    ENOSPC: 'no space left on the device',
  };
  return `cannot create the directory ${at}: ${(e.code && why[e.code]) ?? e.message}`;
}

async function kindOf(p: string): Promise<'dir' | 'other' | 'missing'> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    throw err;
  }
}

function notDirectory(p: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${p}'`), { code: 'ENOTDIR', path: p });
}
