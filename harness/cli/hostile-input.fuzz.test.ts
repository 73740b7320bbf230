/**
 * Hostile input, fuzzed: mutated histories (every format in FUZZ_FORMATS),
 * mutated configs and hostile flags go through the readers and the whole
 * argument handling of `faultline check` and `faultline test`. Every case
 * must end, within CASE_BOUND_MS, with a verdict or a clear error (exit 254
 * naming the file), never an internal error (255), a stack trace or a hang;
 * nothing printed may carry a raw control character; and a history whose ops
 * and values read back as the model's must get the model's verdict (a
 * mutation may change a verdict only by changing what the history says).
 *
 * In process (runCheck, prepareTest; an error that is not a UserError is what
 * main.ts turns into exit 255), plus one run of the real CLI over a batch of
 * mutated files. Fixed seeds: the same cases every run, so the case counts
 * are exact (CASES below); a failure prints its seed and path for replay.
 */

import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import type { Op } from '../history/op.js';
import { type HistoryFormat, type LoadedHistory, readHistoryFile } from '../history/read.js';
import { silentLogger } from '../log.js';
import { plannedNodeCount } from '../run/options.js';
import { buildNemesis, planRun } from '../run/run-test.js';
import { createRuntime } from '../runtime/create.js';
import { applyConfigEdit, CONFIG_SEEDS, type ConfigEdit, configEdit, testFlags } from '../testing/fuzz/configs.js';
import {
  FUZZ_FORMATS,
  type FuzzFormat,
  type ModelHistory,
  modelHistory,
  valuesAreUtf8,
} from '../testing/fuzz/histories.js';
import { applyMutation, describeMutation, type Mutation, mutations } from '../testing/fuzz/mutations.js';
import { type CheckArgs, runCheck } from './commands/check.js';
import { prepareTest, type TestArgs } from './commands/test.js';

const ROOT = path.join(import.meta.dirname, '..', '..');

/** No case may take longer (it is a hang, not slowness: a case takes milliseconds; 2 loaded cores). */
const CASE_BOUND_MS = 20_000;

/** Cases per property (per format for the history properties). */
const CASES = { mutated: 150, rewritten: 80, checkOptions: 60, configs: 250, flags: 300, cliBatch: 30 } as const;

// A raw control character in output (tab and newline are fine; see harness/terminal-text.ts).
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

let dir: string;
let fileCount = 0;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faultline-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Resolves with what `work` gives, or fails the case when it takes longer than CASE_BOUND_MS. */
async function bounded<T>(what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${CASE_BOUND_MS} ms (a hang)`)),
      CASE_BOUND_MS,
    );
  });
  try {
    return await Promise.race([work(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface CheckRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What the reader made of the file: the history, or its UserError. */
  read: LoadedHistory | UserError;
  file: string;
}

/** Writes the bytes to a fresh file and runs `faultline check` on it in this process. */
async function check(bytes: Uint8Array, format: HistoryFormat, extra: Partial<CheckArgs> = {}): Promise<CheckRun> {
  fileCount += 1;
  const file = path.join(dir, `h${fileCount}.hist`);
  await writeFile(file, bytes);
  return bounded(file, async () => {
    let stdout = '';
    let stderr = '';
    let code: number;
    try {
      code = await runCheck(
        { files: [file], model: 'cas-register', format, timeout: '10', ...extra },
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
      );
    } catch (err) {
      if (!(err instanceof UserError)) throw err; // main.ts: exit 255
      code = 254;
      stderr += `faultline: ${err.message}\n`;
    }
    const read = await readHistoryFile(file, { format }).catch((err: unknown) => {
      if (err instanceof UserError) return err;
      throw err;
    });
    return { code, stdout, stderr, read, file };
  });
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** True when the history read back is the model's: the same ops, processes and value bytes, no key or error. */
function sameAsModel(history: Op[], model: ModelHistory): boolean {
  return (
    history.length === model.ops.length &&
    history.every((op, i) => {
      const m = model.ops[i]!;
      if (m.shape || op.type !== m.type || op.process !== m.process || op.f !== m.f) return false;
      if (op.key !== undefined || op.error !== undefined) return false;
      if (m.value === null) return op.value === null;
      return typeof op.value === 'string' && equalBytes(Buffer.from(op.value, 'utf8'), m.value);
    })
  );
}

/** The verdict word `faultline check` printed for the file ('error' when it could not be checked). */
function verdictOf(run: CheckRun): string | undefined {
  return run.stdout.split('\n')[0]?.split('\t')[1];
}

/** What every case must satisfy, whatever the input. */
function expectWellBehaved(run: CheckRun, context: string): void {
  const why = `${context}\nexit ${run.code}\nstdout: ${run.stdout.slice(0, 800)}\nstderr: ${run.stderr.slice(0, 800)}`;
  expect([0, 1, 2, 254], why).toContain(run.code);
  expect(run.stderr, why).not.toMatch(/internal error/);
  expect(run.stderr + run.stdout, why).not.toMatch(STACK_TRACE);
  expect(RAW_CONTROL.test(run.stdout + run.stderr), why).toBe(false);
  expect(run.stdout.split('\n')[0], why).toMatch(/\t(true|false|unknown|error)$/);
  if (run.code === 254) expect(run.stderr, why).toContain(`faultline: ${run.file}`);
}

/** When the file reads back as the model, the verdict must be the model's. */
function expectModelVerdict(run: CheckRun, model: ModelHistory, context: string): void {
  if (run.read instanceof UserError || !sameAsModel(run.read.history, model)) return;
  const why = `${context}\nthe history reads back as the model (valid: ${model.valid}), so must its verdict\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
  expect(verdictOf(run), why).toBe(String(model.valid));
}

function describeModel(model: ModelHistory): string {
  return model.ops
    .map((op) => `${op.process} ${op.type} ${op.f} ${op.value ? Buffer.from(op.value).toString('hex') : 'nil'}`)
    .join('; ');
}

describe.each(FUZZ_FORMATS.map((f) => [f.name, f] as const))('hostile %s histories', (_name, format: FuzzFormat) => {
  const formatChoice = fc.constantFrom(...format.formats);

  it(`${CASES.mutated} byte, line and structural mutations: a verdict or a clear error, the model's verdict when it reads back as the model`, async () => {
    await fc.assert(
      fc.asyncProperty(
        modelHistory(format.hasTime),
        fc.nat(),
        fc.oneof({ weight: 1, arbitrary: fc.constant([] as Mutation[]) }, { weight: 6, arbitrary: mutations }),
        formatChoice,
        async (model, style, changes, fmt) => {
          const file = changes.reduce(applyMutation, format.write(model, style));
          const run = await check(file, fmt);
          const context = `model: ${describeModel(model)}\nmutations: ${changes.map(describeMutation).join(', ')}`;
          expectWellBehaved(run, context);
          expectModelVerdict(run, model, context);
        },
      ),
      { numRuns: CASES.mutated, seed: 0x5eed + format.name.length },
    );
  });

  it(`${CASES.rewritten} rewrites that keep every value: the model's verdict, or (invalid UTF-8) an error naming the line`, async () => {
    await fc.assert(
      fc.asyncProperty(
        modelHistory(false),
        fc.nat(),
        fc.subarray([...format.rewrites], { maxLength: 2 }),
        formatChoice,
        async (model, style, rewrites, fmt) => {
          const file = rewrites.reduce((bytes, rewrite) => rewrite.apply(bytes), format.write(model, style));
          const run = await check(file, fmt);
          const context = `model: ${describeModel(model)}\nrewrites: ${rewrites.map((r) => r.name).join(', ')}`;
          expectWellBehaved(run, context);
          if (valuesAreUtf8(model)) {
            expect(run.read instanceof UserError ? run.read.message : 'read', context).toBe('read');
            expect(sameAsModel((run.read as LoadedHistory).history, model), context).toBe(true);
            expect(verdictOf(run), `${context}\n${run.stdout}`).toBe(String(model.valid));
          } else {
            expect(run.code, context).toBe(254);
            expect(run.stderr, context).toMatch(new RegExp(`${run.file}:\\d+: not valid UTF-8`));
          }
        },
      ),
      { numRuns: CASES.rewritten, seed: 0xbeef + format.name.length },
    );
  });
});

describe('hostile check options', () => {
  it(`${CASES.checkOptions} cases of --timeout, --memory-limit, --initial, --report: a verdict or exit 254 naming the option, no temp file left`, async () => {
    const hostile = fc.constantFrom('', ' ', '0', '-1', 'abc', '1e400', 'NaN', '0.001', '10', '\u001b[2J');
    const report = fc.constantFrom('', ' ', 'missing/r.html', 'r.html', '.', '/proc/hst/r.html');
    await fc.assert(
      fc.asyncProperty(
        modelHistory(false).filter(valuesAreUtf8),
        fc.record(
          { timeout: hostile, memoryLimit: hostile, initial: fc.constantFrom('0', '{', 'null', '[[[', '"x"'), report },
          { requiredKeys: [] },
        ),
        async (model, options) => {
          const reportPath =
            options.report === undefined || options.report.trim() === '' || options.report.startsWith('/')
              ? options.report
              : path.join(dir, 'reports', options.report);
          const run = await check(FUZZ_FORMATS[0]!.write(model, 0), 'jsonl', { ...options, report: reportPath });
          const why = `${JSON.stringify(options)}\nexit ${run.code}\n${run.stdout}\n${run.stderr}`;
          expect([0, 1, 2, 254], why).toContain(run.code);
          expect(run.stderr + run.stdout, why).not.toMatch(/internal error|^\s+at /m);
          const leftovers = await readdir(path.join(dir, 'reports')).catch(() => []);
          expect(
            leftovers.filter((f) => f.endsWith('.tmp')),
            why,
          ).toEqual([]);
        },
      ),
      { numRuns: CASES.checkOptions, seed: 0xc0de },
    );
  });
});

describe('hostile test arguments', () => {
  /** `faultline test` up to the point where it would create something: flags, config, plan, nemesis, runtime. */
  async function prepare(argv: TestArgs, cwd: string) {
    const { config, options } = await prepareTest(argv, cwd);
    const plan = planRun(options);
    buildNemesis(plan, options, plannedNodeCount(config));
    await createRuntime(config.runtime, silentLogger);
    return { config, options };
  }

  /** Runs the argument handling; resolves with the prepared run, or the UserError; anything else fails. */
  async function outcome(argv: TestArgs, cwd: string) {
    return bounded(JSON.stringify(argv).slice(0, 200), () =>
      prepare(argv, cwd).catch((err: unknown) => {
        if (err instanceof UserError) return err;
        throw err;
      }),
    );
  }

  it(`${CASES.configs} mutated configs (YAML and JSON): accepted, or a UserError naming the file`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CONFIG_SEEDS),
        fc.array(configEdit, { maxLength: 2 }),
        fc.option(mutations, { freq: 3 }),
        async (seed, edits: ConfigEdit[], changes) => {
          fileCount += 1;
          const cwd = path.join(dir, `c${fileCount}`);
          const file = path.join(cwd, seed.file);
          const text = edits.reduce(applyConfigEdit, seed.text);
          const bytes = (changes ?? []).reduce(applyMutation, new TextEncoder().encode(text));
          await mkdir(cwd, { recursive: true });
          await writeFile(file, bytes);
          const result = await outcome({ config: file } as TestArgs, cwd);
          if (result instanceof UserError) {
            const why = `${Buffer.from(bytes).toString('latin1').slice(0, 600)}\n${result.message}`;
            expect(result.message, why).toMatch(/^(--config |faultline\.config|--|test\.|runtime\.|[^:]*:)/);
          }
        },
      ),
      { numRuns: CASES.configs, seed: 0xf11e },
    );
  });

  it(`${CASES.flags} sets of hostile flags: accepted as typed (no rounding, counts are counts), or a UserError naming the flag`, async () => {
    await fc.assert(
      fc.asyncProperty(testFlags, async (flags) => {
        const result = await outcome(flags as unknown as TestArgs, dir);
        const why = `${JSON.stringify(flags)}\n${result instanceof UserError ? result.message : 'accepted'}`;
        if (result instanceof UserError) {
          expect(result.message, why).toMatch(/^(--[a-z-]+|runtime\.|test\.|target |the |cluster |unknown |[^ ]*:)/);
          return;
        }
        const { config, options } = result;
        if (flags.seed !== undefined) expect(String(options.seed), why).toBe(String(Number(flags.seed)));
        if (flags.seed !== undefined) expect(Number.isSafeInteger(options.seed), why).toBe(true);
        const nodes = config.runtime.kind === 'ssh' ? undefined : config.runtime[config.runtime.kind].nodes;
        if (flags.nodes !== undefined && config.runtime.kind !== 'ssh') expect(typeof nodes, why).toBe('number');
      }),
      { numRuns: CASES.flags, seed: 0xf1a9 },
    );
  });
});

describe('hostile histories through the real CLI', () => {
  it(`${CASES.cliBatch} mutated files in one \`faultline check\`: a line per file, exit 0/1/2/254, no stack trace`, async () => {
    const cases = fc.sample(fc.tuple(fc.constantFrom(...FUZZ_FORMATS), modelHistory(true), fc.nat(), mutations), {
      numRuns: CASES.cliBatch,
      seed: 0xc11,
    });
    const files: string[] = [];
    for (const [format, model, style, changes] of cases) {
      fileCount += 1;
      const file = path.join(dir, `cli${fileCount}.hist`);
      await writeFile(file, changes.reduce(applyMutation, format.write(model, style)));
      files.push(file);
    }
    const run = await execa(
      'node',
      ['bin/faultline.js', 'check', ...files, '--model', 'cas-register', '--timeout', '10'],
      {
        cwd: ROOT,
        reject: false,
        timeout: 120_000,
      },
    );
    const why = `exit ${run.exitCode}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
    expect(run.timedOut, why).toBe(false);
    expect([0, 1, 2, 254], why).toContain(run.exitCode);
    expect(run.stderr, why).not.toMatch(/internal error/);
    expect(run.stderr + run.stdout, why).not.toMatch(STACK_TRACE);
    expect(RAW_CONTROL.test(run.stdout + run.stderr), why).toBe(false);
    const verdicts = run.stdout.split('\n').slice(0, files.length);
    expect(
      verdicts.map((line) => line.split('\t')[0]),
      why,
    ).toEqual(files);
    for (const line of verdicts) expect(line, why).toMatch(/\t(true|false|unknown|error)$/);
  });
});
