import { createWriteStream } from 'node:fs';
import type { Logger } from '../log.js';

/** A logger that writes every line to a file (faultline.log) and passes it on to another logger. */
export function teeLogger(path: string, next: Logger): Logger & { close(): Promise<void> } {
  const file = createWriteStream(path, { flags: 'a' });
  const line = (level: string, message: string) => file.write(`${new Date().toISOString()} ${level} ${message}\n`);
  return {
    debug: (m) => {
      line('DEBUG', m);
      next.debug(m);
    },
    info: (m) => {
      line('INFO', m);
      next.info(m);
    },
    warn: (m) => {
      line('WARN', m);
      next.warn(m);
    },
    error: (m) => {
      line('ERROR', m);
      next.error(m);
    },
    close: () => new Promise((resolve) => file.end(resolve)),
  };
}
