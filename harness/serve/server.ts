/**
 * `faultline serve`: browse a results folder over HTTP (node:http only).
 * Serves files under the folder and nothing else; binds 127.0.0.1 unless told,
 * on port 8173 unless told (or a free port when that one is taken).
 *
 * What a browser may run: only the index, folder listings and faultline's own
 * reports are HTML, each sent with a restrictive Content-Security-Policy (a
 * report's allows exactly its own inline scripts, by hash, and no network).
 * Node logs and every other file are text/plain, results as JSON and
 * screenshots as PNG; those are sent with a CSP that runs nothing either.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { indexPage, listingPage, PAGE_CSP } from './pages.js';
import { resolveInside } from './paths.js';
import { filterRuns, listRuns, parseFilter } from './runs.js';

/** The port `faultline serve` binds unless told otherwise: the same URL from one run to the next. */
export const DEFAULT_PORT = 8173;

export interface ServeOptions {
  /** The folder to serve (e.g. results/). */
  dir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default DEFAULT_PORT; 0: any free port. */
  port?: number;
  /** Fail when `port` is taken, instead of falling back to a free port. Default false. */
  strictPort?: boolean;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:8173/ */
  url: string;
  host: string;
  port: number;
  /** The port asked for, when it was taken and the server took a free one instead. */
  fellBackFrom?: number | undefined;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

const HTML = 'text/html; charset=utf-8';
/** Files that are not HTML but safe to show as what they are: a browser runs neither. */
const TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};
/** Anything else (node logs, histories, stray .html or .svg files) is shown as text: it can never run in the browser. */
const TEXT = 'text/plain; charset=utf-8';
/** The CSP of everything that is not one of our HTML pages: nothing runs, nothing loads, in a sandbox. */
const INERT_CSP = "default-src 'none'; sandbox";
/** A report bigger than this is served as text (faultline keeps its reports under 20 MB). */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

/**
 * Starts the server and returns once it listens. When the port is taken
 * (EADDRINUSE) it listens on a free one instead, and says so in
 * `fellBackFrom`, unless `strictPort`. Rejects when the folder is not a
 * readable directory or the address cannot be bound.
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
  const port = options.port ?? DEFAULT_PORT;
  let fellBackFrom: number | undefined;
  try {
    await listen(server, port, host);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.strictPort || port === 0) throw err;
    await listen(server, 0, host);
    fellBackFrom = port;
  }
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    fellBackFrom,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
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
    const runs = await listRuns(root);
    const filter = parseFilter(new URL(url, 'http://localhost').searchParams);
    const page = indexPage(shownDir, runs, filterRuns(runs, filter), filter);
    return send(res, 200, HTML, page, req.method === 'HEAD', PAGE_CSP);
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
    return send(res, 200, HTML, listingPage(rel, entries), req.method === 'HEAD', PAGE_CSP);
  }
  if (!info.isFile()) return send(res, 404, TEXT, 'not a file\n');
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (info.size <= MAX_REPORT_BYTES && isReportPath(rel) && (await looksLikeReport(file))) {
    const html = await readFile(file, 'utf8');
    return send(res, 200, HTML, html, req.method === 'HEAD', reportCsp(html));
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? TEXT,
    'Content-Length': info.size,
    'Content-Security-Policy': INERT_CSP,
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

function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  headOnly = false,
  csp = INERT_CSP,
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(headOnly ? undefined : body);
}

/**
 * True for a run's report.html (the path of a file faultline writes), not for
 * a file of that name among a node's logs (nodes/ holds what the system under test wrote).
 */
export function isReportPath(rel: string): boolean {
  const segments = rel.split('/');
  return segments.at(-1) === 'report.html' && !segments.includes('nodes');
}

/** True when the file starts like a page renderReport wrote (its generator meta in the head). */
async function looksLikeReport(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const text = head.subarray(0, bytesRead).toString('utf8');
    return text.startsWith('<!doctype html>') && text.includes('<meta name="generator" content="faultline">');
  } finally {
    await handle.close();
  }
}

/**
 * The CSP header of a report: the report's own (see harness/report/render.ts),
 * recomputed from the page itself: exactly its inline scripts, by hash; no
 * network, no inline event handlers, no frames.
 */
export function reportCsp(html: string): string {
  const hashes = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter((m) => !/type="application\/json"/.test(m[1]!))
    .map((m) => `'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.length ? hashes.join(' ') : "'none'"}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
