/**
 * ZooKeeper's four-letter-word commands (srvr, ruok) over the client port,
 * from the controller: connect, send the word, read until the server closes.
 */
import net from 'node:net';

/** How long connecting and answering may take together. */
export const FOUR_LETTER_TIMEOUT_MS = 1_000;

/** Sends `word` to address:port and resolves with the answer. Rejects on a connection error or after the timeout. */
export function fourLetter(address: string, port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const chunks: Buffer[] = [];
    socket.setTimeout(FOUR_LETTER_TIMEOUT_MS, () => {
      socket.destroy();
      reject(new Error(`${address}:${port}: no answer to ${word} within ${FOUR_LETTER_TIMEOUT_MS} ms`));
    });
    socket.on('connect', () => socket.end(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (err) => reject(new Error(`${address}:${port}: ${word}: ${err.message}`, { cause: err })));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The "Mode:" of a srvr answer (leader, follower, standalone, ...), or undefined when there is none. */
export function modeOf(srvr: string): string | undefined {
  return /^Mode: (\S+)/m.exec(srvr)?.[1];
}
