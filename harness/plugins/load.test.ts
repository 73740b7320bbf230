/**
 * Loading plugins as the CLI does: TypeScript and JavaScript files, ESM and
 * CommonJS, packages; every failure a UserError naming the option and the
 * file (and what a module lacks), never an exception of another kind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getModel } from '../../checkers/models/registry.js';
import { UserError } from '../errors.js';
import { resolveModel, resolveTarget, resolveWorkload } from './index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lib-plugins-'));
const esm = path.join(dir, 'esm');
const cjs = path.join(dir, 'cjs');
mkdirSync(esm);
mkdirSync(cjs);
writeFileSync(path.join(esm, 'package.json'), '{ "type": "module" }');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(folder: string, name: string, text: string): string {
  const p = path.join(folder, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const MODEL = `{
  name: 'flag',
  init: () => false,
  step: (s, op) => (op.f === 'set' ? true : op.f === 'read' && op.value === s ? s : Symbol.for('never')),
  whyIllegal: (s) => 'flag is ' + s,
  stateKey: (s) => s,
  stateJson: (s) => s,
  describeState: (s) => 'flag is ' + s,
  describeOp: (op) => op.f,
}`;

const WORKLOAD = `{
  name: 'flags',
  vocabulary: { set: 'invoke null' },
  generator: () => [],
  finalGenerator: () => undefined,
  checker: () => ({ name: 'none', check: async () => ({ kind: 'noop', valid: true }) }),
}`;

async function userError(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return (err as Error).message;
}

describe('plugins', () => {
  it('a built-in name is the built-in, whatever is installed', async () => {
    expect((await resolveTarget('etcd')).name).toBe('etcd');
    expect((await resolveWorkload('register')).name).toBe('register');
    expect(await resolveModel('cas-register')).toBe('cas-register');
  });

  it('a TypeScript model (ESM, default export, a Model) is registered under its path', async () => {
    const p = file(esm, 'flag.ts', `const model: Record<string, unknown> = ${MODEL};\nexport default model;\n`);
    expect(await resolveModel(p)).toBe(p);
    expect(getModel(p).name).toBe('flag');
  });

  it('a model factory as a named export, in a CommonJS TypeScript file', async () => {
    const p = file(cjs, 'flag.ts', `export const model = (options: unknown) => (${MODEL});\n`);
    expect(getModel(await resolveModel(p)).name).toBe('flag');
  });

  it('a workload in an .mjs file, and one from a package found from the folder given', async () => {
    const p = file(esm, 'flags.mjs', `export const workload = ${WORKLOAD};\n`);
    expect((await resolveWorkload(p)).name).toBe('flags');
    file(dir, 'node_modules/faultline-workload-flags/package.json', JSON.stringify({ exports: { import: './w.mjs' } }));
    file(dir, 'node_modules/faultline-workload-flags/w.mjs', `export default ${WORKLOAD};\n`);
    expect((await resolveWorkload('faultline-workload-flags', dir)).name).toBe('flags');
  });

  it('a module that exports no target, or an incomplete one, names the file and what is missing', async () => {
    const none = file(esm, 'none.ts', 'export const something = 1;\n');
    expect(await userError(resolveTarget(none))).toBe(
      `--target: ${none} exports no target: expected \`export default\` or \`export const target\` (it exports something)`,
    );
    const half = file(esm, 'half.mjs', `export default { name: 'half', description: 'd', install() {} };\n`);
    expect(await userError(resolveTarget(half))).toBe(
      `--target: ${half}: the target it exports lacks options (a zod schema), packages (an array), clients (an object), ` +
        'setup (a function), start (a function), teardown (a function), awaitReady (a function) and logFiles (a function)',
    );
    const wrongModel = file(esm, 'wrong-model.mjs', 'export default () => ({ name: "x" });\n');
    expect(await userError(resolveModel(wrongModel))).toMatch(
      /^--model: .*wrong-model\.mjs: the model it exports lacks init/,
    );
  });

  it('a missing file, a folder, a syntax error, an import that throws, an unknown name: UserErrors', async () => {
    expect(await userError(resolveTarget(path.join(esm, 'nope.ts')))).toBe(
      `--target: no such module file: ${path.join(esm, 'nope.ts')}`,
    );
    expect(await userError(resolveTarget(`${esm}/`))).toMatch(/is a folder; name the module file in it/);
    const broken = file(esm, 'broken.ts', 'export default {{;\n');
    expect(await userError(resolveTarget(broken))).toMatch(new RegExp(`^--target: cannot load ${broken}: `));
    const throws = file(esm, 'throws.mjs', 'throw new Error("no config here");\n');
    expect(await userError(resolveWorkload(throws))).toBe(`--workload: cannot load ${throws}: no config here`);
    expect(await userError(resolveTarget('cassandra', dir))).toBe(
      '--target: unknown target "cassandra" (known: etcd, galera, postgres, process, redis, zookeeper); ' +
        'nor is it an installed package (a module file is named by its path, e.g. ./targets/cassandra.ts)',
    );
  });

  it('views a module exports are registered; bad ones are refused', async () => {
    const { viewOf } = await import('../../checkers/views.js');
    const good = file(
      esm,
      'viewed.mjs',
      `export default ${WORKLOAD};\nexport const views = [{ kind: 'flags-result', summary: () => 'ok', sections: () => [] }];\n`,
    );
    await resolveWorkload(good);
    expect(viewOf('flags-result')).toBeDefined();
    const bad = file(esm, 'bad-views.mjs', `export default ${WORKLOAD};\nexport const views = [{ kind: 3 }];\n`);
    expect(await userError(resolveWorkload(bad))).toMatch(/each of its views needs kind/);
  });
});
