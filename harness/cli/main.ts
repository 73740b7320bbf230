/**
 * The faultline command line. Each command lives in commands/<name>.ts and
 * returns its exit code; this file only wires them and maps errors to exit codes:
 * 254 for bad arguments, config or input (a clear message, no stack trace),
 * 255 for an internal error (stack trace only with FAULTLINE_DEBUG=1).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { EXIT, InterruptedError, UserError } from '../errors.js';
import { terminalSafe } from '../terminal-text.js';
import type { FaultlineCommand } from './command.js';
import { protectStdinArgs } from './stdin-arg.js';

/**
 * The commands, loaded on demand: `faultline check` need not load the run
 * lifecycle, the runtimes and their dependencies (a good part of start-up).
 * Help, or a name that is not a command, loads them all.
 */
const COMMANDS: Record<string, () => Promise<FaultlineCommand>> = {
  test: async () => (await import('./commands/test.js')).testCommand,
  suite: async () => (await import('./commands/suite.js')).suiteCommand,
  repro: async () => (await import('./commands/repro.js')).reproCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  analyze: async () => (await import('./commands/analyze.js')).analyzeCommand,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  heal: async () => (await import('./commands/heal.js')).healCommand,
  clean: async () => (await import('./commands/clean.js')).cleanCommand,
};

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.valid;
  try {
    const named = argv[0] !== undefined && Object.hasOwn(COMMANDS, argv[0]) ? [argv[0]] : Object.keys(COMMANDS);
    const commands = await Promise.all(named.map((name) => COMMANDS[name]!()));
    let cli = yargs(protectStdinArgs(argv)).scriptName('faultline').usage('$0 <command> [options]');
    for (const command of commands) cli = cli.command(command((code) => (exitCode = code)));
    await cli
      .demandCommand(1, 'Name a command: test, suite, repro, check, analyze, serve, heal or clean.')
      .strict()
      .help()
      .version(false)
      .wrap(Math.min(110, process.stdout.columns ?? 110))
      .fail((message, error) => {
        if (error) throw error;
        throw new UserError(message);
      })
      .parseAsync();
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

/** Prints the error (made safe for a terminal: messages quote values and paths from outside); returns the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof UserError) {
    process.stderr.write(`faultline: ${terminalSafe(err.message)}\n`);
    return EXIT.badInput;
  }
  if (err instanceof InterruptedError) {
    process.stderr.write(`faultline: ${terminalSafe(err.message)}\n`);
    return EXIT.interrupted;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`faultline: internal error: ${terminalSafe(message)}\n`);
  if (process.env.FAULTLINE_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(set FAULTLINE_DEBUG=1 for the stack trace)\n');
  return EXIT.crash;
}

/**
 * Exits with `code` once stdout and stderr have handed everything written to
 * them to the OS. Writes to a pipe whose reader is slower than us queue up in
 * the process (past the pipe's 64 KiB), and process.exit at once would drop
 * them: `faultline check --json | jq` would see a cut document. (An empty
 * write's callback runs after every write queued before it, or with the
 * error when the reader has gone.)
 */
function exitWhenDrained(code: number): void {
  process.exitCode = code;
  let waiting = 2;
  const done = (): void => {
    if (--waiting === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength === 0) done();
    else stream.write('', done);
  }
}

// A stray rejection or exception is an internal error (255), never exit 1, which CI reads as "invalid".
process.on('unhandledRejection', (err) => exitWhenDrained(reportError(err)));
process.on('uncaughtException', (err) => exitWhenDrained(reportError(err)));

main(hideBin(process.argv)).then(
  (code) => exitWhenDrained(code),
  (err) => exitWhenDrained(reportError(err)),
);
