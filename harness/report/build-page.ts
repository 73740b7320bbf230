/**
 * Writes the report's page script, bundled (see page-script.ts), to a file,
 * for a built package: render.ts then reads page/report.bundle.js next to
 * itself instead of bundling the TypeScript at run time.
 *
 *   npm run build:page [-- OUT]      default dist/harness/report/page/report.bundle.js
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundlePage } from './page-script.js';

const out = path.resolve(process.argv[2] ?? 'dist/harness/report/page/report.bundle.js');
const started = performance.now();
const script = bundlePage();
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, script);
console.log(
  `wrote ${out} (${(script.length / 1024).toFixed(1)} KiB) in ${(performance.now() - started).toFixed(0)} ms`,
);
