import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';

/** A raw GET: the path goes on the wire as given (fetch would normalise `..`). */
function get(
  server: RunningServer,
  rawPath: string,
): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: server.host, port: server.port, path: rawPath, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          type: res.headers['content-type'],
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
    JSON.stringify({ name, startedAt, target: 'etcd', workload: 'register' }),
  );
  await writeFile(path.join(dir, 'history.jsonl'), '{"index":0}\n');
  if (valid !== undefined) await writeFile(path.join(dir, 'results.json'), JSON.stringify({ valid }));
  await writeFile(path.join(dir, 'report.html'), '<!doctype html><title>r</title>');
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

  it('binds 127.0.0.1 on a free port by default and says where', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
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
