import { terminalSafe } from './terminal-text.js';

/** A minimal logger; the run's logger also writes faultline.log in the results folder. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Plain timestamped lines on stderr; messages quote nodes' output and values, so they are made safe for a terminal. */
export function consoleLogger(level: 'debug' | 'info' = 'info'): Logger {
  const line = (lvl: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${lvl.padEnd(5)} ${terminalSafe(message)}\n`);
  return {
    debug: (m) => level === 'debug' && line('DEBUG', m),
    info: (m) => line('INFO', m),
    warn: (m) => line('WARN', m),
    error: (m) => line('ERROR', m),
  };
}
