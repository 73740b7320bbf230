/**
 * `--nodes-file FILE` (as in Jepsen): the nodes, one host per line. Blank
 * lines and lines starting with # are skipped; spaces around a name are not
 * part of it.
 */
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** The hosts in `file`. Throws UserError naming the flag and file when it cannot be read or names no host. */
export async function readNodesFile(file: string): Promise<string[]> {
  const where = `--nodes-file ${file}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read it: ${(err as Error).message}`, { where, cause: err });
  }
  const hosts = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (hosts.length === 0) throw new UserError('names no host (one per line)', { where });
  const spaced = hosts.find((h) => /\s/.test(h));
  if (spaced !== undefined) throw new UserError(`expected one host per line, got ${JSON.stringify(spaced)}`, { where });
  return hosts;
}
