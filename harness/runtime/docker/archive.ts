/**
 * Tar archives for docker's putArchive / getArchive (file copy) and for image
 * build contexts, using tar-stream (already installed with dockerode).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { dirname, join, posix, resolve, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';

export interface InMemoryEntry {
  name: string;
  data: Buffer;
  mode: number;
}

/** A tar stream of the given in-memory files. */
export function packTar(entries: readonly InMemoryEntry[]): Readable {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, mode: e.mode, size: e.data.length }, e.data);
  pack.finalize();
  return pack;
}

/**
 * A tar stream holding `localPath` (a file, a directory with everything under
 * it, or a symlink) under the name `entryName`. File contents are streamed from
 * disk one at a time. Rejects (through the stream) when a file cannot be read.
 */
export function packPath(localPath: string, entryName: string): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  void (async () => {
    await addPath(pack, localPath, entryName);
    pack.finalize();
  })().catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function addPath(pack: tar.Pack, path: string, name: string): Promise<void> {
  const st = await lstat(path);
  const base = { name, mode: st.mode & 0o7777, mtime: st.mtime };
  if (st.isSymbolicLink()) {
    await entry(pack, { ...base, type: 'symlink', linkname: await readlink(path) });
  } else if (st.isDirectory()) {
    await entry(pack, { ...base, type: 'directory' });
    for (const child of (await readdir(path)).sort()) await addPath(pack, join(path, child), posix.join(name, child));
  } else if (st.isFile()) {
    await new Promise<void>((resolvePromise, reject) => {
      const sink = pack.entry({ ...base, type: 'file', size: st.size }, (error) =>
        error ? reject(error) : resolvePromise(),
      );
      pipeline(createReadStream(path), sink).catch(reject);
    });
  }
  // Sockets, fifos and devices are not copied.
}

function entry(pack: tar.Pack, headers: tar.Headers): Promise<void> {
  return new Promise((resolvePromise, reject) =>
    pack.entry(headers, (error) => (error ? reject(error) : resolvePromise())),
  );
}

/**
 * Extracts a getArchive stream of `remotePath` so that what the archive calls
 * `<basename>` (and `<basename>/...`) lands at `localPath` (and `localPath/...`).
 * Parent directories are created; what was at `localPath` is replaced. Rejects on entries that would
 * escape `localPath` (absolute names or `..`).
 */
export async function extractTo(stream: NodeJS.ReadableStream, localPath: string): Promise<void> {
  const root = resolve(localPath);
  const extract = tar.extract();
  let first = true;
  const done = new Promise<void>((resolvePromise, reject) => {
    extract.on('entry', (headers, body, next) => {
      void (async () => {
        const parts = headers.name.split('/').filter((p) => p !== '' && p !== '.');
        if (parts.includes('..') || headers.name.startsWith('/'))
          throw new Error(`unsafe archive entry ${headers.name}`);
        const target = parts.length <= 1 ? root : join(root, ...parts.slice(1));
        if (target !== root && !target.startsWith(root + sep)) throw new Error(`unsafe archive entry ${headers.name}`);
        if (first) {
          first = false;
          // Replace what was there, as cp would for a file; a directory copy replaces the tree.
          await rm(root, { recursive: true, force: true });
          await mkdir(dirname(root), { recursive: true });
        }
        const mode = (headers.mode ?? 0o644) & 0o7777;
        if (headers.type === 'directory') {
          await mkdir(target, { recursive: true, mode });
          body.resume();
        } else if (headers.type === 'symlink') {
          await symlink(headers.linkname ?? '', target);
          body.resume();
        } else if (headers.type === 'file' || headers.type === 'contiguous-file' || headers.type == null) {
          await pipeline(body, createWriteStream(target, { mode }));
        } else {
          body.resume(); // devices, fifos, hard links: not copied
        }
      })().then(() => next(), next);
    });
    extract.on('finish', () => resolvePromise());
    extract.on('error', reject);
  });
  await Promise.all([pipeline(stream, extract), done]);
}
