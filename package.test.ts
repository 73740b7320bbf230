/**
 * The npm package as a user gets it: `npm pack`, then the tarball installed
 * into a fresh folder (its dependencies linked from this checkout's
 * node_modules, where npm would put them, so that no registry is needed):
 * what the tarball holds, the CLI running the compiled code, the types under
 * a plain `tsc --strict`, and what `faultline check` loads at start-up.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from './harness/testing/build.js';

const run = promisify(execFile);
let dir: string;
let tarball: string;
let files: string[];

/** Runs `argv` in the fresh folder: exit code and output, never a rejection. */
async function inFresh(argv: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(argv[0]!, argv.slice(1), {
      cwd: dir,
      env: { ...process.env, ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const faultline = (...args: string[]) =>
  inFresh([process.execPath, path.join(dir, 'node_modules', 'faultline', 'bin', 'faultline.js'), ...args]);

beforeAll(async () => {
  ensureBuilt();
  dir = await mkdtemp(path.join(os.tmpdir(), 'lib-package-'));
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT });
  tarball = path.join(dir, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  files = (await run('tar', ['tzf', tarball])).stdout.split('\n').filter((f) => f !== '');
  // What `npm install ./faultline-*.tgz` makes: the package, and its dependencies beside it.
  const installed = path.join(dir, 'node_modules', 'faultline');
  mkdirSync(installed, { recursive: true });
  await run('tar', ['xzf', tarball, '-C', installed, '--strip-components=1']);
  for (const dep of readdirSync(path.join(ROOT, 'node_modules'))) {
    if (!dep.startsWith('.')) symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(dir, 'node_modules', dep));
  }
  writeFileSync(path.join(dir, 'package.json'), '{ "name": "fresh", "private": true }\n');
}, 300_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the compiled code, its types, the CLI and the docs; no sources, tests, benches or CI files', () => {
    const paths = files.map((f) => f.replace(/^package\//, ''));
    for (const file of [
      'package.json',
      'README.md',
      'bin/faultline.js',
      'docs/process-protocol.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/harness/cli/main.js',
      'dist/harness/report/page/report.bundle.js',
      'dist/harness/report/page/report.css',
      'dist/checkers/linearizable/worker-entry.mjs',
      'dist/targets/process/index.js',
      'dist/nemesis/delay/helper/build.sh',
      'dist/scripts/build-node-image.sh',
    ]) {
      expect(paths).toContain(file);
    }
    const unwanted = paths.filter(
      (f) =>
        /\.test\.|(^|\/)testing\/|^(bench|examples|scripts|\.ci)\/|^dist\/\.built$/.test(f) ||
        (f.endsWith('.ts') && !f.endsWith('.d.ts')),
    );
    expect(unwanted).toEqual([]);
  });

  it('faultline --version and --help run the compiled CLI', async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(await faultline('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
    const help = await faultline('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/faultline check <files\.\.>/);
    expect(help.stdout).toMatch(/Examples:/);
  });

  it('faultline check of a Knossos history, loading neither tsx nor docker, ssh or browser code', async () => {
    writeFileSync(
      path.join(dir, 'knossos.edn'),
      `[{:process 0, :type :invoke, :f :write, :value 1}
 {:process 0, :type :ok, :f :write, :value 1}
 {:process 1, :type :invoke, :f :read, :value nil}
 {:process 1, :type :ok, :f :read, :value 2}]\n`,
    );
    // A module hook that writes down every module the process loads.
    const loaded = path.join(dir, 'loaded.txt');
    const hook = `import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(loaded)}, r.url + '\\n'); return r; }`;
    const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
    const checked = await inFresh(
      [
        process.execPath,
        path.join(dir, 'node_modules', 'faultline', 'bin', 'faultline.js'),
        ...['check', 'knossos.edn', '--model', 'cas-register', '--initial', '0'],
      ],
      { NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(register)}` },
    );
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/^knossos\.edn\tfalse$/m);
    const modules = (await readFile(loaded, 'utf8')).split('\n').filter((l) => l !== '');
    expect(modules.some((m) => m.includes('/dist/harness/cli/commands/check.js'))).toBe(true);
    expect(modules.filter((m) => /\/(tsx|dockerode|ssh2|playwright-core|esbuild|execa)\//.test(m))).toEqual([]);
    expect(modules.filter((m) => /\/dist\/harness\/(run|runtime|report)\//.test(m))).toEqual([]);
  });

  it('a TypeScript file that imports checkLinearizable type-checks under tsc --strict with default settings, and runs', async () => {
    writeFileSync(
      path.join(dir, 'check.ts'),
      `import { checkLinearizable, type History } from 'faultline';

const history: History = [
  { index: 0, time: 0, type: 'invoke', process: 0, f: 'write', value: 1 },
  { index: 1, time: 1, type: 'ok', process: 0, f: 'write', value: 1 },
  { index: 2, time: 2, type: 'invoke', process: 1, f: 'read', value: null },
  { index: 3, time: 3, type: 'ok', process: 1, f: 'read', value: 2 },
];

checkLinearizable(history, { model: 'register' }).then((result) => {
  console.log(result.valid === false ? result.failure.explanation : String(result.valid));
});
`,
    );
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = await inFresh([process.execPath, tsc, '--strict', 'check.ts']);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    // tsc's defaults make CommonJS: Node loads the ESM package from it (require of ESM).
    const ran = await inFresh([process.execPath, 'check.js']);
    expect(ran.stdout).toBe('read 2 cannot follow write 1: register holds 1\n');
  }, 180_000);

  it('the library API from an ES module: runTest, the generators, the define helpers', async () => {
    writeFileSync(
      path.join(dir, 'api.mjs'),
      `import * as faultline from 'faultline';
console.log(JSON.stringify({
  runTest: typeof faultline.runTest,
  mix: typeof faultline.gen.mix,
  defineTarget: typeof faultline.defineTarget,
  models: faultline.modelNames().includes('cas-register'),
}));
`,
    );
    const ran = await inFresh([process.execPath, 'api.mjs']);
    expect(JSON.parse(ran.stdout)).toEqual({
      runTest: 'function',
      mix: 'function',
      defineTarget: 'function',
      models: true,
    });
  });
});
