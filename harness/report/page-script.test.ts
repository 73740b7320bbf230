import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundlePage, loadPageScript, usablePrebuilt } from './page-script.js';

describe('the page script', () => {
  it('is the page TypeScript bundled into one browser IIFE that cannot close its <script>', () => {
    const script = bundlePage();
    expect(script).toMatch(/^"use strict";\n?\(\(\) => \{/);
    expect(script).toContain('faultline-data');
    expect(script).not.toMatch(/<\/script/i);
    // Type-only imports of the renderer's modules leave nothing of Node's behind.
    expect(script).not.toMatch(/require\(|node:/);
  });

  it('is bundled once per process, then served from memory', () => {
    const first = loadPageScript();
    const again = loadPageScript();
    expect(again).toBe(first);
    expect(first.source).toBe('bundled'); // no prebuilt bundle in a source checkout
  });
});

describe('usablePrebuilt', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-page-script-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('takes a bundle that exists and is not older than any .ts source beside it', async () => {
    const bundle = path.join(dir, 'report.bundle.js');
    expect(usablePrebuilt(bundle, dir)).toBe(false); // none yet
    await writeFile(path.join(dir, 'main.ts'), '');
    await writeFile(bundle, '');
    const now = Date.now() / 1000;
    await utimes(path.join(dir, 'main.ts'), now - 60, now - 60);
    await utimes(bundle, now, now);
    expect(usablePrebuilt(bundle, dir)).toBe(true);
    // A source edited after the bundle was built: the bundle is stale.
    await utimes(path.join(dir, 'main.ts'), now + 60, now + 60);
    expect(usablePrebuilt(bundle, dir)).toBe(false);
  });

  it('takes a bundle with no sources beside it (a built package)', async () => {
    const built = await mkdtemp(path.join(dir, 'dist-'));
    await writeFile(path.join(built, 'report.bundle.js'), '');
    expect(usablePrebuilt(path.join(built, 'report.bundle.js'), built)).toBe(true);
  });
});
