/**
 * `faultline check -` reads standard input, but yargs drops a lone "-" given
 * among a command's positionals (it re-parses them as `--files -` and takes
 * the "-" for an option). So the command line is rewritten before yargs sees
 * it: "-" becomes STDIN_ARG, which the check command turns back into "-".
 */
export const STDIN_ARG = 'faultline:stdin';

/** The arguments with each lone "-" replaced by STDIN_ARG (only for `check`, the one command that reads stdin). */
export function protectStdinArgs(argv: readonly string[]): string[] {
  return argv[0] === 'check' ? argv.map((a) => (a === '-' ? STDIN_ARG : a)) : [...argv];
}

/** The files as the user named them ("-" for standard input). */
export function restoreStdinArgs(files: readonly string[]): string[] {
  return files.map((f) => (f === STDIN_ARG ? '-' : f));
}
