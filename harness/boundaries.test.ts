/**
 * The dependency rules of DESIGN.md, checked on the source: every import of
 * every non-test file is resolved and held against the rules below. Tests
 * (and their testing/ helpers) may reach further: they set things up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['harness', 'checkers', 'workloads', 'nemesis', 'targets'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' || e.name === 'node_modules' ? [] : sourceFiles(rel);
    return /\.(ts|mts)$/.test(e.name) && !/\.test\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The repo files a file imports (static, dynamic and type imports), as paths relative to the repo root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)).replace(/\.js$/, '.ts'));
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));
const inside = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** The imports from files under `from` that break `allowed`, as "from -> to" lines. */
function broken(from: string, allowed: (to: string) => boolean): string[] {
  return edges.filter((e) => inside(e.from, from) && !allowed(e.to)).map((e) => `${e.from} -> ${e.to}`);
}

describe('dependency rules', () => {
  it('finds the source files and their imports', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(300);
  });

  it('harness/history imports nothing else from the repo', () => {
    expect(broken('harness/history', (to) => inside(to, 'harness/history'))).toEqual([]);
  });

  it('checkers import only other checkers and harness/history (nothing of targets, nemesis or the rest of harness)', () => {
    expect(broken('checkers', (to) => inside(to, 'checkers') || inside(to, 'harness/history'))).toEqual([]);
  });

  it('harness/report imports only the checkers’ interfaces and registry, never a checker’s own files', () => {
    const checkerFolderFile = (to: string) => inside(to, 'checkers') && to.split('/').length > 2;
    expect(broken('harness/report', (to) => !checkerFolderFile(to))).toEqual([]);
  });

  it('the run lifecycle knows registries and interfaces, never a particular fault, runtime, target or checker', () => {
    const particular = (to: string) =>
      /^nemesis\/[^/]+\//.test(to) ||
      /^targets\/[^/]+\//.test(to) ||
      /^checkers\/[^/]+\//.test(to) ||
      /^workloads\/[^/]+\//.test(to) ||
      /^harness\/runtime\/(netns|docker|ssh)\//.test(to);
    expect(broken('harness/run', (to) => !particular(to))).toEqual([]);
  });

  it('workloads import from the harness only histories, the generator DSL and the node type clients open on', () => {
    const ok = (to: string) =>
      !inside(to, 'harness') ||
      inside(to, 'harness/history') ||
      inside(to, 'harness/generator') ||
      to === 'harness/runtime/runtime.ts';
    expect(broken('workloads', ok)).toEqual([]);
  });

  it('a fault is known only through the fault registry: no other part imports a fault folder', () => {
    const faultFolder = (to: string) => /^nemesis\/[^/]+\//.test(to);
    const outsideNemesis = edges.filter((e) => !inside(e.from, 'nemesis') && faultFolder(e.to));
    expect(outsideNemesis.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });
});
