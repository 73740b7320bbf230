/**
 * Maps a request path to a file under the served folder, refusing anything
 * that could reach outside it: `..` segments (raw or percent-encoded),
 * absolute paths, backslashes, NUL bytes and symlinks that lead out.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * Returns the real path of the file or folder `urlPath` names under `root`,
 * or undefined when the path is refused or does not exist.
 * `root` must already be a real path (see `realpath`).
 */
export async function resolveInside(root: string, urlPath: string): Promise<string | undefined> {
  const relative = safeRelativePath(urlPath);
  if (relative === undefined) return undefined;
  const candidate = path.resolve(root, relative);
  if (!isWithin(root, candidate)) return undefined;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return undefined; // missing, or a dangling symlink
  }
  return isWithin(root, real) ? real : undefined;
}

/**
 * The request path (without query) decoded into a relative path, or undefined
 * when it is malformed or could escape: every segment is checked after decoding.
 */
export function safeRelativePath(urlPath: string): string | undefined {
  const pathname = urlPath.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined; // malformed percent-encoding
    }
    if (segment === '' || segment === '.') continue;
    if (segment === '..' || segment.includes('/') || segment.includes('\\') || segment.includes('\0')) return undefined;
    segments.push(segment);
  }
  return segments.join('/');
}

/** True when `child` is `root` or inside it. */
export function isWithin(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
