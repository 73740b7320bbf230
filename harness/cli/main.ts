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
import { analyzeCommand } from './commands/analyze.js';
import { checkCommand } from './commands/check.js';
import { cleanCommand } from './commands/clean.js';
import { healCommand } from './commands/heal.js';
import { serveCommand } from './commands/serve.js';
import { testCommand } from './commands/test.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.valid;
  try {
    await yargs(argv)
      .scriptName('faultline')
      .usage('$0 <command> [options]')
      .command(testCommand((code) => (exitCode = code)))
      .command(checkCommand((code) => (exitCode = code)))
      .command(analyzeCommand((code) => (exitCode = code)))
      .command(serveCommand((code) => (exitCode = code)))
      .command(healCommand((code) => (exitCode = code)))
      .command(cleanCommand((code) => (exitCode = code)))
      .demandCommand(1, 'Name a command: test, check, analyze, serve, heal or clean.')
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

// A stray rejection or exception is an internal error (255), never exit 1, which CI reads as "invalid".
process.on('unhandledRejection', (err) => process.exit(reportError(err)));
process.on('uncaughtException', (err) => process.exit(reportError(err)));

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err) => process.exit(reportError(err)),
);
