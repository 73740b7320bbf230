/**
 * Builds the npm package into dist/: the compiled JavaScript (ESM) with its
 * .d.ts files (tsc -p tsconfig.build.json: every source file but tests and
 * testing/ helpers), plus what the compiled code reads at run time beside
 * itself:
 *
 * - harness/report/page/report.bundle.js (the report's page script, bundled
 *   by esbuild) and report.css: render.ts inlines them into every report;
 * - nemesis/delay/helper/ (build.sh and its C sources): the delay fault
 *   builds its static helper on first use;
 * - scripts/build-node-image.sh: the docker runtime's node image;
 * - checkers/linearizable/worker-entry.mjs: the worker thread's entry, which
 *   in the sources registers tsx, and here imports the compiled worker.
 *
 *   npm run build            (npm pack runs it first: the prepack script)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundlePage } from '../harness/report/page-script.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const started = performance.now();

rmSync(DIST, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });

function write(relative: string, text: string): void {
  const file = path.join(DIST, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function copy(relative: string, to: string = relative): void {
  const file = path.join(DIST, to);
  mkdirSync(path.dirname(file), { recursive: true });
  copyFileSync(path.join(ROOT, relative), file);
}

write('harness/report/page/report.bundle.js', bundlePage());
copy('harness/report/page/report.css');
for (const file of ['build.sh', 'faultline-delay.c', 'rtt.c']) copy(`nemesis/delay/helper/${file}`);
copy('scripts/build-node-image.sh');
write(
  'checkers/linearizable/worker-entry.mjs',
  "// Worker thread entry of the compiled package (the sources' entry registers tsx first).\nawait import('./worker.js');\n",
);

console.log(
  `built ${path.relative(process.cwd(), DIST) || 'dist'} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
