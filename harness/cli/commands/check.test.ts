import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { missing } from '../../testing/requirements.js';
import { KNOSSOS_DIR } from '../../testing/shared-data.js';
import { type CheckArgs, type FileOutcome, runCheck } from './check.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const KNOSSOS = KNOSSOS_DIR;
const GOOD = 'examples/cas-register-good.jsonl';
const BAD = 'examples/cas-register-bad.jsonl';

/** Runs the real CLI, as a user would (with `input` on its standard input). */
async function cli(...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return cliWithInput(undefined, ...args);
}

async function cliWithInput(
  input: string | undefined,
  ...args: string[]
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await execa('node', ['bin/faultline.js', 'check', ...args], {
    cwd: ROOT,
    reject: false,
    ...(input === undefined ? {} : { input }),
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the command in this process, capturing what it prints. */
async function check(
  args: Partial<CheckArgs> & { files: string[] },
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCheck(
    { model: 'cas-register', ...args },
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
  );
  return { code, stdout, stderr };
}

describe('faultline check (the real CLI)', () => {
  it('says true and exits 0 for the valid example', async () => {
    const run = await cli(GOOD, '--model', 'cas-register');
    expect(run).toMatchObject({ exitCode: 0, stdout: `${GOOD}\ttrue`, stderr: '' });
  });

  it('says false, explains, points at the lines, and exits 1 for the invalid example', async () => {
    const run = await cli(BAD, '--model', 'cas-register');
    expect(run.exitCode).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(`${BAD}\tfalse`);
    expect(run.stdout).toContain('Not linearizable');
    expect(run.stdout).toContain(`The op that cannot be linearized is at ${BAD}:8 to line 9.`);
  });

  it.skipIf(missing({ paths: [KNOSSOS] }))('agrees with Knossos on shipped Jepsen histories', async () => {
    const good = [
      'cas-register/good/cas-register-bug.edn',
      'cas-register/good/memstress3-0.edn',
      'cas-register/good/mongodb-v0-ack-rollback-4.edn',
    ];
    const valid = await cli(...good.map((f) => join(KNOSSOS, f)), '--model', 'cas-register', '--initial', '0');
    expect(valid.exitCode).toBe(0);
    expect(valid.stdout.split('\n')).toEqual(good.map((f) => `${join(KNOSSOS, f)}\ttrue`));

    const bad = join(KNOSSOS, 'cas-register/bad/rethink-fail-minimal.edn');
    const invalid = await cli(bad, '--model', 'cas-register', '--initial', '0');
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stdout.split('\n')[0]).toBe(`${bad}\tfalse`);

    const mutex = await cli(join(KNOSSOS, 'mutex/bad/etcd.edn'), '--model', 'mutex', '--initial', 'false');
    expect(mutex.exitCode).toBe(1);
  });

  it('reads a history piped into - (a Jepsen log here, with a note on its nil reads)', async () => {
    const log =
      'INFO  jepsen.util - 0 :invoke :write 1\nINFO  jepsen.util - 0 :ok :write 1\n1\t:invoke\t:read\tnil\n1\t:ok\t:read\tnil\n';
    const run = await cliWithInput(log, '-', '--model', 'register');
    expect(run).toMatchObject({ exitCode: 0, stdout: '-\ttrue' });
    expect(run.stderr).toBe(
      "faultline: note: stdin: 1 ok read of nil matched any value (Knossos's meaning, the default for jepsen-log histories); pass --no-nil-reads-any-value to check them as reads of an empty register",
    );
    const strict = await cliWithInput(log, '-', '--model', 'register', '--no-nil-reads-any-value');
    expect(strict).toMatchObject({ exitCode: 1, stderr: '' });
    const twice = await cliWithInput(log, '-', '-', '--model', 'register');
    expect(twice).toMatchObject({
      exitCode: 254,
      stderr: 'faultline: standard input (-) can be read only once; name it once',
    });
  });

  describe('bad input exits 254 with a clear message and no stack trace', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'faultline-check-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('a malformed history names file:line', async () => {
      const path = join(dir, 'history.jsonl');
      await writeFile(path, '{"type":"invoke","process":0,"f":"read"}\n{"type":"okk","process":0,"f":"read"}\n');
      const run = await cli(path, '--model', 'cas-register');
      expect(run.exitCode).toBe(254);
      expect(run.stderr).toBe(`faultline: ${path}:2: unknown type "okk" (expected invoke, ok, fail or info)`);
      expect(run.stdout).toBe(`${path}\terror`);
    });

    it('a history the checker finds malformed names file:line of the op', async () => {
      const path = join(dir, 'orphan.jsonl');
      await writeFile(
        path,
        '{"type":"invoke","process":0,"f":"write","value":1}\n{"type":"ok","process":0,"f":"write","value":1}\n{"type":"ok","process":5,"f":"read","value":1}\n',
      );
      const run = await cli(path, '--model', 'cas-register');
      expect(run.exitCode).toBe(254);
      expect(run.stderr).toMatch(new RegExp(`^faultline: ${path}:3: `));
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).toBe(`${path}\terror`);
    });

    it('bad options name the option', async () => {
      const model = await cli(GOOD, '--model', 'nope');
      expect(model.exitCode).toBe(254);
      expect(model.stderr).toMatch(/^faultline: --model: unknown model "nope"; known models: .*cas-register/);
      const initial = await cli(GOOD, '--model', 'cas-register', '--initial', '{x');
      expect(initial.exitCode).toBe(254);
      expect(initial.stderr).toMatch(/^faultline: --initial: not valid JSON: "\{x"/);
      const missing = await cli(join(dir, 'missing.jsonl'), '--model', 'cas-register');
      expect(missing).toMatchObject({
        exitCode: 254,
        stdout: `${join(dir, 'missing.jsonl')}\terror`,
        stderr: `faultline: ${join(dir, 'missing.jsonl')}: no such file`,
      });
      for (const [option, value] of [
        ['--timeout', '0'],
        ['--memory-limit', 'lots'],
      ]) {
        const run = await cli(GOOD, '--model', 'cas-register', option!, value!);
        expect(run).toMatchObject({
          exitCode: 254,
          stderr: `faultline: ${option}: must be a positive number of ${option === '--timeout' ? 'seconds' : 'MB'}, got "${value}"`,
        });
      }
    });
  });
});

describe('runCheck', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-check-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const good = join(ROOT, GOOD);
  const bad = join(ROOT, BAD);

  it('prints one line per file, then the explanations, and exits 1 when any is invalid', async () => {
    const run = await check({ files: [bad, good] });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 2)).toEqual([`${bad}\tfalse`, `${good}\ttrue`]);
    expect(run.stdout.indexOf('Not linearizable')).toBeGreaterThan(run.stdout.indexOf(`${good}\ttrue`));
  });

  it('--json prints the full results as an array, one entry per file', async () => {
    const run = await check({ files: [good, bad], json: true });
    expect(run.code).toBe(1);
    const outcomes = JSON.parse(run.stdout) as FileOutcome[];
    expect(outcomes.map((o) => o.file)).toEqual([good, bad]);
    const [first, second] = outcomes;
    expect(first).toMatchObject({
      format: 'jsonl',
      ops: 18,
      nilReadsAnyValue: false,
      result: { valid: true, model: 'cas-register' },
    });
    expect(second).toMatchObject({
      result: { valid: false, failure: { failedOp: { invokeIndex: 7, completeIndex: 8 } } },
      lines: { failedOp: { invoke: 8, complete: 9 }, lastOkOp: { invoke: 4, complete: 7 } },
    });
    expect(first).not.toHaveProperty('lines');
  });

  it('checks the other files when one is bad input, and exits 254', async () => {
    const broken = join(dir, 'broken.edn');
    await writeFile(broken, '[{:process 0 :type :invoke :f :read}\n {:process 0 :type :ok :f :read :value 1]');
    const run = await check({ files: [good, broken, bad] });
    expect(run.code).toBe(254);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual([`${good}\ttrue`, `${broken}\terror`, `${bad}\tfalse`]);
    expect(run.stderr).toBe(`faultline: ${broken}:2: expected "}" to close the map opened on line 2, found "]"\n`);
    const json = JSON.parse((await check({ files: [broken], json: true })).stdout) as FileOutcome[];
    expect(json).toEqual([
      { file: broken, error: `${broken}:2: expected "}" to close the map opened on line 2, found "]"` },
    ]);
  });

  it('checks a history whose torn last line it dropped, and warns on stderr', async () => {
    const torn = join(dir, 'torn.jsonl');
    const text = await readFile(good, 'utf8');
    await writeFile(torn, `${text}{"type":"invoke","process":0,"f":"wri`);
    const run = await check({ files: [torn] });
    expect(run).toEqual({
      code: 0,
      stdout: `${torn}\ttrue\n`,
      stderr: `faultline: warning: ${torn}:19: dropped the last line: it is cut off (the writer was probably killed mid-write)\n`,
    });
  });

  it('rejects bad options before reading any file', async () => {
    await expect(check({ files: ['/nonexistent'], model: 'nope' })).rejects.toThrow(UserError);
    await expect(check({ files: ['/nonexistent'], initial: 'nul' })).rejects.toThrow(/^--initial: not valid JSON/);
    await expect(check({ files: ['/nonexistent'], timeout: '' })).rejects.toThrow(
      /^--timeout: must be a positive number/,
    );
  });

  it('--report writes the HTML report of the one checked file', async () => {
    const report = join(dir, 'report.html');
    const run = await check({ files: [bad], report });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`faultline: report written to ${report}\n`);
    const html = await readFile(report, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('cas-register');
    await expect(check({ files: [good, bad], report })).rejects.toThrow(
      '--report: makes the report of one history file, but 2 were given',
    );
  });

  it('nil reads match any value in Jepsen formats by default, and are real values in JSONL', async () => {
    // A write of 1, then a read that returned nil: invalid if nil is a value, fine under Knossos rules.
    const edn = join(dir, 'nil.edn');
    await writeFile(
      edn,
      '{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value 1}\n{:process 1 :type :invoke :f :read :value nil}\n{:process 1 :type :ok :f :read :value nil}\n',
    );
    const jsonl = join(dir, 'nil.jsonl');
    await writeFile(
      jsonl,
      '{"process":0,"type":"invoke","f":"write","value":1}\n{"process":0,"type":"ok","f":"write","value":1}\n{"process":1,"type":"invoke","f":"read","value":null}\n{"process":1,"type":"ok","f":"read","value":null}\n',
    );
    const byDefault = await check({ files: [edn] });
    expect(byDefault.code).toBe(0);
    expect(byDefault.stderr).toBe(
      `faultline: note: ${edn}: 1 ok read of nil matched any value (Knossos's meaning, the default for edn histories); pass --no-nil-reads-any-value to check them as reads of an empty register\n`,
    );
    const [outcome] = JSON.parse((await check({ files: [edn], json: true })).stdout) as FileOutcome[];
    expect(outcome).toMatchObject({ nilReadsAnyValue: true, nilReadNote: expect.stringContaining('1 ok read of nil') });
    // Chosen by a flag, or a JSONL history: no note.
    expect(await check({ files: [edn], nilReadsAnyValue: false })).toMatchObject({ code: 1, stderr: '' });
    expect(await check({ files: [jsonl] })).toMatchObject({ code: 1, stderr: '' });
    expect((await check({ files: [jsonl], nilReadsAnyValue: true })).code).toBe(0);
    const [plain] = JSON.parse((await check({ files: [jsonl], json: true })).stdout) as FileOutcome[];
    expect(plain).not.toHaveProperty('nilReadNote');
  });

  it('exits 2 with the reason when the search runs out of budget', async () => {
    // 18 writes that crashed (may or may not have happened) and then a read of a
    // value nobody wrote: deciding it means trying every subset of the writes,
    // far more than one search slice, so a 1-byte memory budget is exceeded first.
    // (Values written twice: with unique values the fast path would decide it at once.)
    const lines: string[] = [];
    for (let p = 0; p < 18; p += 1)
      lines.push(JSON.stringify({ process: p, type: 'invoke', f: 'write', value: p % 9 }));
    lines.push(JSON.stringify({ process: 100, type: 'invoke', f: 'read', value: null }));
    lines.push(JSON.stringify({ process: 100, type: 'ok', f: 'read', value: 999 }));
    const path = join(dir, 'hard.jsonl');
    await writeFile(path, `${lines.join('\n')}\n`);
    const run = await check({ files: [path], memoryLimit: '0.000001' });
    expect(run.code).toBe(2);
    expect(run.stdout.split('\n')[0]).toBe(`${path}\tunknown`);
    expect(run.stdout).toContain('memory budget');
  });
});

describe('faultline check with the transactional checkers', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-check-txn-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A write skew: each transaction reads the key the other appends to, and neither sees the other. */
  const skew = [
    {
      process: 0,
      type: 'invoke',
      f: 'txn',
      value: [
        ['r', 'x', null],
        ['append', 'y', 1],
      ],
    },
    {
      process: 1,
      type: 'invoke',
      f: 'txn',
      value: [
        ['r', 'y', null],
        ['append', 'x', 1],
      ],
    },
    {
      process: 0,
      type: 'ok',
      f: 'txn',
      value: [
        ['r', 'x', []],
        ['append', 'y', 1],
      ],
    },
    {
      process: 1,
      type: 'ok',
      f: 'txn',
      value: [
        ['r', 'y', []],
        ['append', 'x', 1],
      ],
    },
  ];

  it('reads a JSON array, finds the cycle, names the models it rules out and explains it with file lines', async () => {
    const path = join(dir, 'skew.json');
    await writeFile(path, `[${skew.map((op) => JSON.stringify(op)).join(',\n')}]\n`);
    const run = await check({ files: [path], model: 'list-append' });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`${path}\tfalse`);
    expect(run.stdout).toContain('Checked against strict-serializable: found G2-item.');
    expect(run.stdout).toContain('Not repeatable-read (and so neither');
    expect(run.stdout).toMatch(/T1 → T2 \(rw x\): T1 read x = \[\] \(empty\)/);
    expect(run.stdout).toContain(`T1: process 0, ok, at ${path}:1 to line 3: r x [], append y 1`);
    const weak = await check({ files: [path], model: 'list-append', consistencyModels: 'snapshot-isolation' });
    expect(weak).toMatchObject({ code: 0, stdout: `${path}\ttrue\n` });
    const asked = await check({ files: [path], model: 'list-append', consistencyModels: '', anomalies: 'G2-item' });
    expect(asked.code).toBe(1);
  });

  it('--json prints the full result; --report draws the cycle', async () => {
    const path = join(dir, 'skew.jsonl');
    await writeFile(path, `${skew.map((op) => JSON.stringify(op)).join('\n')}\n`);
    const json = await check({ files: [path], model: 'list-append', json: true });
    const [outcome] = JSON.parse(json.stdout) as FileOutcome[];
    expect(outcome).toMatchObject({ format: 'jsonl', result: { kind: 'list-append', valid: false } });
    const report = join(dir, 'skew.html');
    await check({ files: [path], model: 'list-append', report });
    const html = await readFile(report, 'utf8');
    expect(html).toContain('G2-item');
    expect(html).toContain('rw x');
  });

  it('rw-register and bank, with their options', async () => {
    const path = join(dir, 'rw.json');
    await writeFile(
      path,
      JSON.stringify([
        { process: 0, type: 'invoke', value: [['r', 'x', null]] },
        { process: 0, type: 'ok', value: [['r', 'x', 1]] },
        { process: 0, type: 'invoke', value: [['w', 'x', 1]] },
        { process: 0, type: 'ok', value: [['w', 'x', 1]] },
      ]),
    );
    const rw = await check({ files: [path], model: 'rw-register', sequentialKeys: true });
    expect(rw.code).toBe(1);
    expect(rw.stdout).toContain('found G1c-realtime');
    const order = await check({ files: [path], model: 'rw-register', transactionOrder: '{"1": 0, "3": 1}' });
    expect(order.code).toBe(1);
    const bank = join(dir, 'bank.edn');
    await writeFile(
      bank,
      '{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :process 0, :value {0 10, 1 10}}\n' +
        '{:type :invoke, :f :read, :process 0}\n{:type :ok, :f :read, :process 0, :value {0 21, 1 -1}}\n',
    );
    const wrong = await check({ files: [bank], model: 'bank' });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('shows account 1 at -1, below zero');
    expect(wrong.stdout).toContain(`The first wrong read is at ${bank}:3 to line 4`);
    expect((await check({ files: [bank], model: 'bank', allowNegativeBalances: true })).code).toBe(0);
    expect((await check({ files: [bank], model: 'bank', totalAmount: '30' })).code).toBe(1);
  });

  it('names a bad or misplaced option, and a history that is not one of transactions', async () => {
    const any = { files: ['/nonexistent'] };
    await expect(check({ ...any, model: 'list-append', consistencyModels: 'serialisable' })).rejects.toThrow(
      /^--consistency-models: unknown consistency model\(s\) serialisable/,
    );
    await expect(check({ ...any, model: 'list-append', anomalies: 'G9' })).rejects.toThrow(/^--anomalies: unknown/);
    await expect(check({ ...any, model: 'bank', wfrKeys: true })).rejects.toThrow(
      '--wfr-keys: is for --model rw-register, not bank',
    );
    await expect(check({ ...any, model: 'cas-register', anomalies: 'G0' })).rejects.toThrow(
      /^--anomalies: is for --model/,
    );
    await expect(check({ ...any, model: 'list-append', initial: '0' })).rejects.toThrow(
      '--initial: is for linearizability models, not list-append',
    );
    await expect(check({ ...any, model: 'rw-register', transactionOrder: '{1:0}' })).rejects.toThrow(
      /^--transaction-order: not valid JSON/,
    );
    await expect(check({ ...any, model: 'bank', totalAmount: 'lots' })).rejects.toThrow(
      /^--total-amount: must be a number/,
    );
    const path = join(dir, 'reads.jsonl');
    await writeFile(path, '{"process":0,"type":"invoke","f":"read","value":null}\n');
    const run = await check({ files: [path], model: 'list-append' });
    expect(run).toMatchObject({ code: 254, stdout: `${path}\terror\n` });
    expect(run.stderr).toMatch(new RegExp(`^faultline: ${path}:1: the list-append checker reads transactions`));
  });

  it.skipIf(missing({ paths: [join(KNOSSOS, '..', 'elle', 'MANIFEST.json')] }))(
    'checks the Elle histories from the real CLI',
    async () => {
      const elle = join(KNOSSOS, '..', 'elle');
      const files = [
        'list-append/list-append-anomaly-g0-cycle.json',
        'list-append/list-append-valid-single-append-read.json',
      ];
      const run = await cli(...files.map((f) => join(elle, f)), '--model', 'list-append');
      expect(run.exitCode).toBe(1);
      expect(run.stdout.split('\n').slice(0, 2)).toEqual([
        `${join(elle, files[0]!)}\tfalse`,
        `${join(elle, files[1]!)}\ttrue`,
      ]);
      expect(run.stdout).toContain('found G0');
    },
  );
});
