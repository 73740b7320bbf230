/**
 * Reads a file the user named (a history, a config) as UTF-8 text, refusing
 * what would hang or change its meaning:
 *
 * - a FIFO, socket or device is refused before anything is read (reading a
 *   FIFO waits for a writer forever; /dev/zero never ends). The file is
 *   opened non-blocking and checked on the open descriptor, so there is no
 *   window between the check and the read;
 * - bytes that are not UTF-8 are an error naming the line: decoding them
 *   with replacement characters would make different values equal (two
 *   values that differ only in an invalid byte would both read as "\uFFFD"),
 *   and so could change a verdict.
 */

import { isUtf8 } from 'node:buffer';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError } from './errors.js';

/**
 * Returns the file's text (a leading byte order mark is kept; callers drop it).
 * Throws UserError naming `path` when the file cannot be read (see
 * readRegularFile), and naming `path:line` when it is not UTF-8.
 * `noun` names what the file should be in messages ("is a directory, not a history file").
 */
export async function readTextFile(path: string, noun = 'file'): Promise<string> {
  return decodeUtf8(await readRegularFile(path, noun), path);
}

/**
 * Returns the bytes of a regular file. Throws UserError naming `path` when it
 * is missing, a directory, not readable, or a FIFO, socket or device.
 */
export async function readRegularFile(path: string, noun = 'file'): Promise<Buffer> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new UserError(notRegular(stat, noun), { where: path });
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(readFailure(err, noun), { where: path, cause: err });
  }
}

/**
 * The bytes as text. Throws UserError naming `path:line` and the byte when
 * they are not UTF-8.
 */
export function decodeUtf8(bytes: Uint8Array, path: string): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const offset = firstInvalidUtf8(bytes);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i += 1) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
  throw new UserError(
    `not valid UTF-8 (byte 0x${byte} at byte ${offset - lineStart + 1} of the line); ` +
      'faultline reads text as UTF-8 and will not guess what these bytes mean',
    { where: `${path}:${line}` },
  );
}

/**
 * The offset of the first byte that does not belong to a well-formed UTF-8
 * sequence (overlong forms, surrogates and code points past U+10FFFF are not
 * well-formed); bytes.length when there is none.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // The length of the sequence and the range its second byte must be in (RFC 3629, section 4).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k += 1) {
      const next = bytes[i + k];
      const [min, max] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (next === undefined || next < min || next > max) return i;
    }
    i += length;
  }
  return bytes.length;
}

function notRegular(stat: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean }, noun: string): string {
  if (stat.isDirectory()) return `is a directory, not a ${noun}`;
  const kind = stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'a device or other special file';
  return `is ${kind}, not a regular file; faultline reads only regular files (save the data to a file first)`;
}

function readFailure(err: unknown, noun: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return `is a directory, not a ${noun}`;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  return `cannot read: ${err instanceof Error ? err.message : String(err)}`;
}
