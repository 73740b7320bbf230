import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../report/render.js';
import { syntheticRun } from '../report/synthetic.js';
import { PAGE_CSP } from './pages.js';
import { type RunningServer, startServer } from './server.js';

/** A real (small) report, as faultline writes them. */
const REPORT = (() => {
  const { history } = syntheticRun({ ops: 20, seed: 2 });
  return renderReport({ history, results: { kind: 'noop', valid: true }, source: { file: 'h.jsonl' } });
})();

/** A raw GET: the path goes on the wire as given (fetch would normalise `..`). */
function get(
  server: RunningServer,
  rawPath: string,
): Promise<{ status: number; body: string; type: string | undefined; csp: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: server.host, port: server.port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          type: res.headers['content-type'],
          csp: res.headers['content-security-policy'] as string | undefined,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function makeRun(
  root: string,
  rel: string,
  startedAt: string | undefined,
  valid: unknown,
  name: string,
): Promise<void> {
  const dir = path.join(root, rel);
  await mkdir(path.join(dir, 'nodes', 'n1'), { recursive: true });
  await writeFile(
    path.join(dir, 'test.json'),
    JSON.stringify({
      name,
      startedAt,
      target: 'etcd',
      workload: 'register',
      seed: 1234,
      nemesis: ['partition', 'kill'],
      options: { targetOptions: { readMode: 'serializable' } },
    }),
  );
  await writeFile(path.join(dir, 'history.jsonl'), '{"index":0}\n');
  if (valid !== undefined) {
    const checker =
      valid === false
        ? {
            kind: 'linearizable',
            valid: false,
            failure: { explanation: 'read 3 cannot follow write 1: register holds <1>' },
          }
        : { kind: 'noop', valid };
    await writeFile(
      path.join(dir, 'results.json'),
      JSON.stringify({ valid, checker, stats: { durationSeconds: 61.24 }, faults: [], warnings: [] }),
    );
  }
  await writeFile(path.join(dir, 'report.html'), REPORT);
  await writeFile(path.join(dir, 'nodes', 'n1', 'etcd.log'), 'etcd says hi\n');
}

describe('faultline serve', () => {
  let base: string;
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'faultline-serve-'));
    root = path.join(base, 'results');
    await writeFile(path.join(base, 'secret.txt'), 'TOP SECRET\n');
    await makeRun(root, 'register/20260101T000000', '2026-01-01T00:00:00.000Z', true, 'old run');
    await makeRun(root, 'register/20260301T000000', '2026-03-01T00:00:00.000Z', false, 'newest <b>run</b>');
    await makeRun(root, 'set/20260201T000000', '2026-02-01T00:00:00.000Z', 'unknown', 'middle run');
    await makeRun(root, 'set/nostart', undefined, undefined, 'no start time');
    await utimes(path.join(root, 'set/nostart'), new Date('2025-01-01'), new Date('2025-01-01'));
    await symlink(path.join(root, 'register/20260301T000000'), path.join(root, 'latest'));
    await symlink(path.join(base, 'secret.txt'), path.join(root, 'escape.txt'));
    await symlink(base, path.join(root, 'escape-dir'));
    server = await startServer({ dir: root });
  });

  afterAll(async () => {
    await server?.close();
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 on port 8173 by default (a free one when taken) and says where', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    if (server.fellBackFrom === undefined) expect(server.port).toBe(8173);
    else expect(server.fellBackFrom).toBe(8173);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('falls back to a free port when the one asked for is taken, unless told to be strict', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const other = await startServer({ dir: root, port: taken });
      try {
        expect(other.fellBackFrom).toBe(taken);
        expect(other.port).not.toBe(taken);
        expect((await get(other, '/')).status).toBe(200);
      } finally {
        await other.close();
      }
      await expect(startServer({ dir: root, port: taken, strictPort: true })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('lists the runs newest first with verdict, name and links, escaped', async () => {
    const { status, body, type } = await get(server, '/');
    expect(status).toBe(200);
    expect(type).toContain('text/html');
    const order = [...body.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'register/20260301T000000',
      'set/20260201T000000',
      'register/20260101T000000',
      'set/nostart',
    ]);
    expect(body).toContain('newest &lt;b&gt;run&lt;/b&gt;');
    expect(body).not.toContain('<b>run</b>');
    expect(body).toMatch(/class="v invalid">invalid/);
    expect(body).toMatch(/class="v not-checked">not checked/);
    expect(body).toContain('href="/register/20260301T000000/report.html"');
    expect(body).toContain('href="/register/20260301T000000/history.jsonl"');
    expect(body).toContain('href="/register/20260301T000000/nodes/n1/"');
  });

  it('serves files under the folder, logs as plain text, folders as listings', async () => {
    const report = await get(server, '/register/20260301T000000/report.html');
    expect(report.status).toBe(200);
    expect(report.type).toContain('text/html');
    const log = await get(server, '/register/20260301T000000/nodes/n1/etcd.log');
    expect(log).toMatchObject({ status: 200, body: 'etcd says hi\n' });
    expect(log.type).toContain('text/plain');
    const listing = await get(server, '/register/20260301T000000/nodes/n1/');
    expect(listing.status).toBe(200);
    expect(listing.body).toContain('href="/register/20260301T000000/nodes/n1/etcd.log"');
    expect((await get(server, '/latest/report.html')).status).toBe(200); // a symlink inside the folder is fine
    expect((await get(server, '/no/such/file')).status).toBe(404);
  });

  it('refuses .. (raw and percent-encoded), absolute paths and symlinks leading out', async () => {
    for (const bad of [
      '/../secret.txt',
      '/register/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/register%2f..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      `/${encodeURIComponent(path.join(base, 'secret.txt'))}`,
      `//${path.join(base, 'secret.txt')}`,
      '/escape.txt',
      '/escape-dir/secret.txt',
    ]) {
      const res = await get(server, bad);
      expect([403, 404], bad).toContain(res.status);
      expect(res.body, bad).not.toContain('TOP SECRET');
    }
  });

  it('shows duration, seed, faults, target options and the result in a sentence, escaped', async () => {
    const { body } = await get(server, '/');
    const row = /<tr data-run="register\/20260301T000000">([\s\S]*?)<\/tr>/.exec(body)![1]!;
    expect(row).toContain('61.2 s');
    expect(row).toContain('1234');
    expect(row).toContain('partition, kill');
    expect(row).toContain('readMode: serializable');
    expect(row).toContain('not linearizable: read 3 cannot follow write 1: register holds &lt;1&gt;');
    // A run not yet checked has no duration nor sentence.
    const unchecked = /<tr data-run="set\/nostart">([\s\S]*?)<\/tr>/.exec(body)![1]!;
    expect(unchecked).toContain('<td class="num">—</td>');
  });

  it('filters by verdict and by test with a form, ignoring values it does not know', async () => {
    const runs = async (query: string): Promise<string[]> =>
      [...(await get(server, `/${query}`)).body.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1]!);
    expect(await runs('?verdict=invalid')).toEqual(['register/20260301T000000']);
    expect(await runs('?verdict=not+checked')).toEqual(['set/nostart']);
    expect(await runs('?test=middle+run')).toEqual(['set/20260201T000000']);
    expect(await runs('?verdict=valid&test=middle+run')).toEqual([]);
    expect(await runs('?verdict=bogus')).toHaveLength(4);
    const { body } = await get(server, '/?verdict=invalid');
    expect(body).toContain('<form method="get" action="/">');
    expect(body).toContain('<option value="invalid" selected>invalid</option>');
    expect(body).toContain('<option value="newest &lt;b&gt;run&lt;/b&gt;">');
    expect(body).toContain('1 of 4 runs');
    expect((await get(server, '/?test=nothing')).body).toContain('No run matches this filter.');
  });

  it('sends every HTML page with a restrictive CSP; a report may run exactly its own scripts', async () => {
    for (const page of ['/', '/register/', '/register/20260301T000000/nodes/n1/']) {
      const res = await get(server, page);
      expect(res.type, page).toContain('text/html');
      expect(res.csp, page).toBe(PAGE_CSP);
    }
    const report = await get(server, '/register/20260301T000000/report.html');
    expect(report.type).toContain('text/html');
    const scripts = [...report.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(
      (m) => !m[1]!.includes('application/json'),
    );
    const hashes = scripts.map((m) => `'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`);
    expect(hashes).toHaveLength(2);
    expect(report.csp).toContain(`script-src ${hashes.join(' ')};`);
    expect(report.csp).toContain("default-src 'none'");
    expect(report.csp).not.toContain("unsafe-inline' ; script");
  });

  it('serves node logs and anything that is not a report as text, results as JSON, images as PNG', async () => {
    const run = path.join(root, 'register/20260301T000000');
    await writeFile(path.join(run, 'nodes', 'n1', 'report.html'), REPORT); // a node's file, whatever its name
    await writeFile(path.join(run, 'nodes', 'n1', 'page.html'), '<script>alert(1)</script>');
    await writeFile(path.join(run, 'notes.svg'), '<svg onload="alert(1)"/>');
    await mkdir(path.join(run, 'old'), { recursive: true });
    await writeFile(path.join(run, 'old', 'report.html'), '<!doctype html><script>alert(1)</script>');
    await writeFile(path.join(run, 'shot.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const type = async (p: string): Promise<[string | undefined, string | undefined]> => {
      const res = await get(server, `/register/20260301T000000/${p}`);
      expect(res.status, p).toBe(200);
      return [res.type, res.csp];
    };
    const inert = "default-src 'none'; sandbox";
    for (const p of [
      'nodes/n1/etcd.log',
      'nodes/n1/report.html',
      'nodes/n1/page.html',
      'notes.svg',
      'old/report.html',
      'history.jsonl',
    ])
      expect(await type(p), p).toEqual(['text/plain; charset=utf-8', inert]);
    expect(await type('results.json')).toEqual(['application/json; charset=utf-8', inert]);
    expect(await type('shot.png')).toEqual(['image/png', inert]);
  });

  it('never fails on malformed test.json or results.json', async () => {
    const bad = path.join(root, 'broken');
    const cases: [string, string][] = [
      ['not json', '{'],
      ['array', '[1,2]'],
      ['wrong types', JSON.stringify({ name: 5, seed: 'x', nemesis: 'partition', options: { targetOptions: [1] } })],
    ];
    for (const [i, [name, text]] of cases.entries()) {
      await mkdir(path.join(bad, `r${i}`), { recursive: true });
      await writeFile(path.join(bad, `r${i}`, 'test.json'), text);
      await writeFile(
        path.join(bad, `r${i}`, 'results.json'),
        i === 0 ? text : JSON.stringify({ valid: false, checker: { kind: 'linearizable', valid: false }, stats: [] }),
      );
      expect(name).toBeTruthy();
    }
    const { status, body } = await get(server, '/');
    expect(status).toBe(200);
    expect(body).toContain('data-run="broken/r0"');
    expect(body).toContain('data-run="broken/r2"');
    await rm(bad, { recursive: true, force: true });
  });

  it('answers only GET and HEAD', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: server.host, port: server.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
  });
});

describe('faultline serve (command line)', () => {
  const bin = path.resolve('bin/faultline.js');

  it('prints the URL, serves, and exits 0 on SIGINT', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'faultline-serve-cli-'));
    const child = spawn(process.execPath, [bin, 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code} before printing a URL: ${out}`)));
      });
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('No runs here yet');
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGINT');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 254 naming the option for a bad port or a missing folder', async () => {
    const run = promisify(execFile);
    const badPort = await run(process.execPath, [bin, 'serve', '.', '--port', '70000']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(badPort).toMatchObject({ code: 254 });
    expect((badPort as { stderr: string }).stderr).toContain('--port');
    const missingDir = await run(process.execPath, [bin, 'serve', '/no/such/folder']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(missingDir).toMatchObject({ code: 254 });
    expect((missingDir as { stderr: string }).stderr).toContain('/no/such/folder');
  });
});
