/**
 * Turns an argv plus env, cwd, timeout and sudo into the one command string
 * ssh carries to the remote (POSIX) shell, quoting every word so the remote
 * program sees exactly the argv we were given.
 */
import { BASE_ENV } from '../base-env.js';

/** Quotes a word for a POSIX shell: 'it'\''s'. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export interface RemoteCommandOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Wrap in coreutils `timeout`: SIGTERM to the command's process group at the deadline, SIGKILL 1 s later. */
  timeoutMs?: number;
  sudo?: boolean;
}

/** Exit status of coreutils `timeout` when the deadline passed. */
export const TIMEOUT_EXIT = 124;

/**
 * The command line for argv. Layers, outermost first:
 * `sudo -n --` · `timeout -k 1 SECONDS` · `sh -c 'exec env -i HOME="$HOME" "$@"' sh PATH=... K=V` ·
 * `sh -c 'cd "$1" && ...'` · argv.
 * The command gets a fresh environment: BASE_ENV, the HOME of the remote user
 * it runs as (which only the remote shell knows), then `env`.
 * Throws on an env name that is not a shell identifier.
 */
export function remoteCommand(argv: readonly string[], options: RemoteCommandOptions = {}): string {
  let words = [...argv];
  if (options.cwd !== undefined) words = ['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', options.cwd, ...words];
  const env = { ...BASE_ENV, ...options.env };
  for (const name of Object.keys(env)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new Error(`environment variable name ${JSON.stringify(name)} is not a shell identifier`);
  }
  words = [
    'sh',
    '-c',
    'exec env -i HOME="$HOME" "$@"',
    'sh',
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    ...words,
  ];
  if (options.timeoutMs !== undefined) {
    const seconds = Math.max(0.001, options.timeoutMs / 1000).toFixed(3);
    words = ['timeout', '-k', '1', seconds, ...words];
  }
  if (options.sudo) words = ['sudo', '-n', '--', ...words];
  return words.map(shellQuote).join(' ');
}
