/**
 * `faultline serve`: browse a results folder over HTTP (node:http only).
 * Serves files under the folder and nothing else; binds 127.0.0.1 unless told.
 */
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { indexPage, listingPage } from './pages.js';
import { resolveInside } from './paths.js';
import { listRuns } from './runs.js';

export interface ServeOptions {
  /** The folder to serve (e.g. results/). */
  dir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.css': 'text/css; charset=utf-8',
};

/** Anything else is shown as text, so a log or a stray file can never run in the browser. */
const TEXT = 'text/plain; charset=utf-8';

/**
 * Starts the server and returns once it listens. Rejects when the folder is
 * not a readable directory or the address cannot be bound (e.g. EADDRINUSE).
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const root = await realpath(options.dir);
  if (!(await stat(root)).isDirectory()) throw new Error(`${options.dir} is not a directory`);
  const server = http.createServer((req, res) => {
    handle(root, options.dir, req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, TEXT, `internal error: ${(err as Error).message}\n`);
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  root: string,
  shownDir: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, TEXT, 'only GET and HEAD\n');
  }
  const url = req.url ?? '/';
  const pathname = url.split(/[?#]/, 1)[0] ?? '/';
  if (pathname === '/' || pathname === '/index.html') {
    return send(res, 200, TYPES['.html']!, indexPage(shownDir, await listRuns(root)), req.method === 'HEAD');
  }
  const file = await resolveInside(root, url);
  if (file === undefined) return send(res, 404, TEXT, 'not found (or outside the served folder)\n');
  const info = await stat(file);
  if (info.isDirectory()) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (!pathname.endsWith('/')) {
      res.setHeader('Location', `${pathname}/`);
      return send(res, 301, TEXT, 'moved\n');
    }
    const entries = (await readdir(file, { withFileTypes: true }))
      .map((e) => ({ name: e.name, dir: e.isDirectory() }))
      .sort((a, b) => Number(b.dir) - Number(a.dir) || a.name.localeCompare(b.name));
    return send(res, 200, TYPES['.html']!, listingPage(rel, entries), req.method === 'HEAD');
  }
  if (!info.isFile()) return send(res, 404, TEXT, 'not a file\n');
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? TEXT,
    'Content-Length': info.size,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    res.on('close', resolve);
    stream.pipe(res);
  });
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(headOnly ? undefined : body);
}
