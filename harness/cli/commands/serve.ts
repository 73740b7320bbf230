/**
 * `faultline serve [DIR]`: browse past runs (default results/) at
 * http://127.0.0.1:8173/ (or --port; a free port when 8173 is taken, said
 * on stderr) until interrupted (Ctrl-C).
 */
import { stat } from 'node:fs/promises';
import { EXIT, UserError } from '../../errors.js';
import { DEFAULT_PORT, startServer } from '../../serve/server.js';
import type { FaultlineCommand } from '../command.js';

interface ServeArgs {
  dir: string;
  host: string;
  port: number | undefined;
}

export const serveCommand: FaultlineCommand = (setExit) => ({
  command: 'serve [dir]',
  describe: 'Browse past runs: an index of runs with their reports, histories and node logs',
  builder: (yargs) =>
    yargs
      .positional('dir', { type: 'string', default: 'results', describe: 'The results folder to serve' })
      .option('host', {
        type: 'string',
        default: '127.0.0.1',
        describe: 'Address to bind (other than loopback exposes your results)',
      })
      .option('port', {
        type: 'number',
        describe: `Port to bind (default ${DEFAULT_PORT}, or a free one when that is taken); 0 picks a free one`,
      })
      .example('$0 serve', 'browse results/ on http://127.0.0.1:8173/')
      .example('$0 serve ci-artifacts/results --port 0', 'another folder, on a free port'),
  handler: async (args) => {
    const argv = args as unknown as ServeArgs;
    if (argv.port !== undefined && (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535)) {
      throw new UserError(`expected a port number from 0 to 65535, got ${String(argv.port)}`, { where: '--port' });
    }
    const info = await stat(argv.dir).catch((err: unknown) => {
      throw new UserError('no such folder (run `faultline test` first, or name the results folder)', {
        where: argv.dir,
        cause: err,
      });
    });
    if (!info.isDirectory()) throw new UserError('not a folder', { where: argv.dir });

    // A port asked for is taken as given; the default one falls back to a free port when taken.
    const port = argv.port ?? DEFAULT_PORT;
    const server = await startServer({
      dir: argv.dir,
      host: argv.host,
      port,
      strictPort: argv.port !== undefined,
    }).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EADDRNOTAVAIL' || code === 'EACCES' || code === 'ENOTFOUND') {
        throw new UserError(`cannot listen on ${argv.host}:${port} (${code})`, {
          where: '--host/--port',
          cause: err,
        });
      }
      throw err;
    });
    if (!/^(127\.|::1$|localhost$)/.test(argv.host)) {
      process.stderr.write(
        `faultline: warning: serving on ${argv.host}: anyone who can reach it can read these results\n`,
      );
    }
    if (server.fellBackFrom !== undefined) {
      process.stderr.write(
        `faultline: port ${server.fellBackFrom} is in use; serving on port ${server.port} instead (--port to choose)\n`,
      );
    }
    process.stdout.write(`faultline: serving ${argv.dir} at ${server.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    setExit(EXIT.valid);
  },
});
