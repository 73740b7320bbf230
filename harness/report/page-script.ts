/**
 * The report's page script: the TypeScript modules under ./page (entry
 * page/main.ts), bundled by esbuild into one IIFE that render.ts inlines.
 *
 * A prebuilt bundle, page/report.bundle.js next to this file (the package
 * build writes one into dist/, see build-page.ts), is used when present;
 * otherwise the sources are bundled on first use and kept in memory, so a
 * process pays the bundle once (about 0.1 s on 2 cores, see `npm run bench --
 * report`), not per report. A prebuilt bundle older than the sources beside
 * it is ignored: a stale file must never hide an edit.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
export const PAGE_ENTRY = path.join(PAGE_DIR, 'main.ts');
export const PREBUILT_BUNDLE = path.join(PAGE_DIR, 'report.bundle.js');

let cached: { script: string; source: 'prebuilt' | 'bundled' } | undefined;

/** The page script, from the prebuilt bundle when it is there and current, else bundled now. Cached. */
export function pageScript(): string {
  return loadPageScript().script;
}

/** Like pageScript, saying where the script came from. */
export function loadPageScript(): { script: string; source: 'prebuilt' | 'bundled' } {
  if (cached) return cached;
  cached = usablePrebuilt(PREBUILT_BUNDLE, PAGE_DIR)
    ? { script: readFileSync(PREBUILT_BUNDLE, 'utf8'), source: 'prebuilt' }
    : { script: bundlePage(), source: 'bundled' };
  return cached;
}

/**
 * True when `bundle` exists and no .ts file under `dir` (the page's sources,
 * absent in a built package) is newer than it.
 */
export function usablePrebuilt(bundle: string, dir: string): boolean {
  if (!existsSync(bundle)) return false;
  const built = statSync(bundle).mtimeMs;
  const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
  return sources.every((name) => statSync(path.join(dir, name)).mtimeMs <= built);
}

/**
 * Bundles the page's TypeScript with esbuild: one IIFE for browsers, other
 * than ASCII characters in strings escaped, no source map. Throws when the
 * sources are missing or do not build (a syntax error; types are checked by
 * `npm run typecheck`).
 */
export function bundlePage(entry: string = PAGE_ENTRY): string {
  if (!existsSync(entry)) {
    throw new Error(
      `the report's page script is missing: no ${PREBUILT_BUNDLE} and no sources at ${entry} (npm run build:page makes the bundle)`,
    );
  }
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'ascii',
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error(`bundling ${entry} produced no output`);
  return out.text;
}
