/**
 * Hostile input, one block per class of issue 15 (the fuzz suite beside this
 * file covers the same ground at random): each shows the input that went
 * wrong now gives a verdict or a clear error (exit 254 naming the file, line
 * or option), never a wrong verdict, a hang, a crash or litter.
 * The teardown class needs root, etcd and ip (cluster hst5 on 10.242.5.0/24,
 * every folder of it under a temp folder).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ILLEGAL } from '../../checkers/models/model.js';
import { registerModel } from '../../checkers/models/registry.js';
import { checkStateDir } from '../../nemesis/heal-state.js';
import { defaultConfig, loadConfig, mergeFlags, parseConfig } from '../config/load.js';
import { UserError } from '../errors.js';
import { canonicalJson } from '../history/json.js';
import type { Logger } from '../log.js';
import { makeDir } from '../make-dir.js';
import type { RunResults } from '../results/results.js';
import { createRunDir, writeResults } from '../results/store.js';
import { resolveTestOptions } from '../run/options.js';
import { runTest } from '../run/run-test.js';
import { cleanNetns } from '../runtime/netns/clean.js';
import { DATA_MARKER } from '../runtime/netns/data-dir.js';
import { listNamespaces } from '../runtime/netns/network.js';
import { missing } from '../testing/requirements.js';
import { type CheckArgs, runCheck } from './commands/check.js';
import { prepareTest, type TestArgs } from './commands/test.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const ESC = '\u001b';
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faultline-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a file in the temp folder; returns its path. */
async function file(name: string, content: string | Uint8Array): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, content);
  return at;
}

/** `faultline check` in this process; a thrown UserError is exit 254 as main.ts makes it. */
async function check(args: Partial<CheckArgs> & { files: string[] }) {
  let stdout = '';
  let stderr = '';
  let code: number;
  try {
    code = await runCheck(
      { model: 'cas-register', ...args },
      { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    code = 254;
    stderr += `faultline: ${err.message}\n`;
  }
  return { code, stdout, stderr };
}

/** The real CLI, as a user runs it. */
async function cli(args: string[], env: Record<string, string> = {}) {
  const r = await execa('node', ['bin/faultline.js', ...args], { cwd: ROOT, reject: false, env, timeout: 120_000 });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut };
}

const jsonl = (ops: object[]) => `${ops.map((op) => JSON.stringify(op)).join('\n')}\n`;
const op = (process: number, type: string, f: string, value: unknown, extra: object = {}) => ({
  process,
  type,
  f,
  value,
  ...extra,
});

describe('wrong verdicts from bytes', () => {
  it('values that differ only in bytes that are not UTF-8 are an error naming file:line, not "equal" (CLI)', async () => {
    // Read "a\xfe" after writing "a\xff": not linearizable. Decoded with U+FFFD both were "a\uFFFD": valid.
    const lines = [
      Buffer.from('{"type":"invoke","process":0,"f":"write","value":"a\xff"}\n', 'latin1'),
      Buffer.from('{"type":"ok","process":0,"f":"write","value":"a\xff"}\n', 'latin1'),
      Buffer.from('{"type":"invoke","process":0,"f":"read","value":null}\n', 'latin1'),
      Buffer.from('{"type":"ok","process":0,"f":"read","value":"a\xfe"}\n', 'latin1'),
    ];
    const history = await file('bytes.jsonl', Buffer.concat(lines));
    const run = await cli(['check', history, '--model', 'cas-register']);
    expect(run.code).toBe(254);
    expect(run.stdout).toBe(`${history}\terror`);
    expect(run.stderr).toContain(`${history}:1: not valid UTF-8 (byte 0xff at byte 52 of the line)`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('a history.txt op whose value holds U+2028, or whose line ends in CR, is read, not skipped as chatter', async () => {
    const txt = [
      '0\t:invoke\t:write\t"a"',
      '0\t:ok\t:write\t"a"',
      '0\t:invoke\t:read\tnil',
      '0\t:ok\t:read\t"b\u2028"',
    ];
    for (const [name, text] of [
      ['u2028.txt', `${txt.join('\n')}\n`],
      ['crlf.txt', `${txt.join('\r\n')}\r\n`],
    ] as const) {
      const run = await check({ files: [await file(name, text)] });
      expect(run.stdout.split('\n')[0], name).toBe(`${path.join(dir, name)}\tfalse`);
    }
  });
});

describe('crashes on deep or self-referential structure', () => {
  const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;

  it('a value nested 20,000 deep is an error naming the line; the other files keep their verdicts', async () => {
    const deepJsonl = await file(
      'deep.jsonl',
      jsonl([op(0, 'invoke', 'write', 0), op(0, 'ok', 'write', 0)]).replace(/0}/g, `${deep(20_000)}}`),
    );
    const deepEdn = await file('deep.edn', `{:type :invoke, :process 0, :f :write, :value ${deep(20_000)}}\n`);
    const good = path.join(ROOT, 'examples/cas-register-good.jsonl');
    const bad = path.join(ROOT, 'examples/cas-register-bad.jsonl');
    const run = await check({ files: [deepJsonl, good, deepEdn, bad] });
    expect(run.code).toBe(254);
    expect(run.stdout.split('\n').slice(0, 4)).toEqual([
      `${deepJsonl}\terror`,
      `${good}\ttrue`,
      `${deepEdn}\terror`,
      `${bad}\tfalse`,
    ]);
    expect(run.stderr).toContain(`${deepJsonl}:1: a value nests more than 100 levels deep`);
    expect(run.stderr).toContain(`${deepEdn}:1: values nest more than 100 levels deep`);
  });

  it('canonical JSON of a value 100,000 deep does not overflow the stack', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = i % 2 ? [value] : { k: value };
    expect(canonicalJson(value as never)).toBe(`${'[{"k":'.repeat(50_000)}1${'}]'.repeat(50_000)}`);
  });

  it('an internal error while checking one file (a model that throws) keeps the other files’ verdicts', async () => {
    registerModel('hst-throws', () => ({
      name: 'hst-throws',
      init: () => 0,
      step: (state: number, o) => {
        if (o.value === 'boom') throw new TypeError('the model broke');
        return o.f === 'write' ? (o.value as number) : o.value === state ? state : ILLEGAL;
      },
      whyIllegal: () => 'no',
      stateKey: (s: number) => s,
      stateJson: (s: number) => s,
      describeState: (s: number) => `holds ${s}`,
      describeOp: (o) => o.f,
    }));
    const boom = await file('boom.jsonl', jsonl([op(0, 'invoke', 'write', 'boom'), op(0, 'ok', 'write', 'boom')]));
    const fine = await file('fine.jsonl', jsonl([op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1)]));
    const run = await check({ files: [boom, fine], model: 'hst-throws' });
    expect(run.stdout.split('\n').slice(0, 2)).toEqual([`${boom}\terror`, `${fine}\ttrue`]);
    expect(run.stderr).toContain(`${boom}: internal error: the model broke`);
    expect(run.code).toBe(255);
  });

  it('a YAML alias inside its own anchor, an alias bomb and deep YAML are errors naming the file (and line)', () => {
    const errorOf = (text: string) => {
      try {
        parseConfig(text, 'f.yaml');
        return 'accepted';
      } catch (err) {
        expect(err).toBeInstanceOf(UserError);
        return (err as Error).message;
      }
    };
    expect(errorOf('test:\n  targetOptions: &x\n    k: [*x]\n')).toBe(
      'f.yaml:3: test.targetOptions.k[0]: refers to itself (a YAML alias used inside its own anchor)',
    );
    expect(errorOf('test: &t\n  name: x\n  targetOptions: *t\n')).toMatch(
      /^f\.yaml:\d: test\.targetOptions: refers to itself/,
    );
    const bomb = ['a: &a [x,x,x,x,x,x,x,x]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b]'];
    bomb.push('d: &d [*c,*c,*c,*c,*c,*c,*c,*c]', 'e: [*d,*d,*d,*d,*d,*d,*d,*d]');
    expect(errorOf(bomb.join('\n'))).toMatch(/^f\.yaml: cannot read: Excessive alias count/);
    expect(errorOf(`test:\n  targetOptions: ${deep(10_000)}\n`)).toMatch(/^f\.yaml:2: nests too deeply to read/);
    expect(errorOf(`test:\n  targetOptions: ${deep(40)}\n`)).toMatch(/nests more than 32 levels deep/);
  });
});

describe('hangs', () => {
  it('check on a FIFO, and a FIFO as --config, are refused at once', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const run = await check({ files: [fifo] });
    expect(run.code).toBe(254);
    expect(run.stderr).toContain(`${fifo}: is a FIFO (named pipe), not a regular file`);
    await expect(loadConfig(fifo, dir)).rejects.toThrow(/^--config .*fifo: cannot read config file: .*is a FIFO/);
    const devices = await check({ files: ['/dev/zero'] });
    expect(devices.stderr).toContain('/dev/zero: is a device or other special file, not a regular file');
  });

  it('a results directory, heal state or mkdir under /proc fails with a clear error instead of looping', async () => {
    await expect(makeDir('/proc/hst/x/y')).rejects.toMatchObject({ code: 'ENOENT' });
    const record = { name: 't', startedAt: new Date().toISOString() } as never;
    await expect(createRunDir('/proc/hst/results', record)).rejects.toThrow(
      '--results-dir /proc/hst/results: cannot create the directory /proc/hst: the system does not allow a directory there',
    );
    await expect(checkStateDir('/proc/hst/heal/c')).rejects.toThrow(UserError);
  });

  it.skipIf(missing({ root: true }))(
    'faultline test --results-dir under /proc exits 254 naming the option (CLI)',
    async () => {
      const run = await cli([
        'test',
        '--cluster',
        'hst0',
        '--subnet',
        '10.242.0.0/24',
        '--nodes',
        '1',
        '--time-limit',
        '1',
        '--results-dir',
        '/proc/hst/results',
      ]);
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(254);
      expect(run.stderr).toContain('--results-dir /proc/hst/results: cannot create the directory /proc/hst');
    },
  );
});

describe('wrong exit codes and litter', () => {
  const history = () => file('litter.jsonl', jsonl([op(0, 'invoke', 'write', 1), op(0, 'ok', 'write', 1)]));

  it('a results directory that cannot be made, or a run file that cannot be written, is a UserError naming it', async () => {
    const notADir = await file('plain-file', 'x');
    const record = { name: 't', startedAt: new Date().toISOString() } as never;
    await expect(createRunDir(path.join(notADir, 'results'), record)).rejects.toThrow(
      new RegExp(`^--results-dir ${notADir}/results: cannot create the directory .*: it is not a directory`),
    );
    await expect(writeResults(path.join(dir, 'gone'), {} as RunResults)).rejects.toThrow(
      new RegExp(`^${dir}/gone/results.json: cannot write`),
    );
  });

  it('a report that cannot be written exits 254 naming it and leaves no temp file; --report "" is refused (CLI)', async () => {
    const reports = path.join(dir, 'reports');
    await mkdir(path.join(reports, 'a-dir'), { recursive: true });
    const target = path.join(reports, 'a-dir');
    const run = await cli(['check', await history(), '--model', 'cas-register', '--report', target]);
    expect(run.code).toBe(254);
    expect(run.stderr).toContain(`faultline: ${target}: cannot write the report`);
    expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
    expect((await readdir(reports)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const empty = await check({ files: [await history()], report: '' });
    expect(empty.code).toBe(254);
    expect(empty.stderr).toContain('--report: expected the file to write the report to, got ""');
  });
});

describe('numbers and names', () => {
  it('a time of 1e400 is said to be out of range (Infinity), not "null"', async () => {
    const run = await check({
      files: [await file('big.jsonl', '{"type":"invoke","process":0,"f":"read","time":1e400}\n')],
    });
    expect(run.stderr).toContain('big.jsonl:1: time is out of range (Infinity): expected a finite number');
  });

  it('negative and backwards times are warned about and change no verdict; a completion before its invocation is refused', async () => {
    const ops = [
      op(0, 'invoke', 'write', 1, { time: -5 }),
      op(0, 'ok', 'write', 1, { time: 10 }),
      op(1, 'invoke', 'read', null, { time: 3 }),
      op(1, 'ok', 'read', 2, { time: 4 }),
    ];
    const run = await check({ files: [await file('times.jsonl', jsonl(ops))] });
    expect(run.stdout.split('\n')[0]).toMatch(/\tfalse$/);
    expect(run.stderr).toContain('times.jsonl:1: time is negative (1 op(s))');
    expect(run.stderr).toContain('times.jsonl:3: time goes backwards (from 10 to 3');
    const reversed = [op(0, 'invoke', 'write', 1, { time: 10 }), op(0, 'ok', 'write', 1, { time: 5 })];
    const refused = await check({ files: [await file('reversed.jsonl', jsonl(reversed))] });
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain('reversed.jsonl:2: this ok completes at time 5, before its invocation at line 1');
  });

  it('--nodes abc, a seed past 2^53 and reserved keys are refused, each naming the flag or key', async () => {
    expect(() => mergeFlags(defaultConfig(), { nodes: 'abc' })).toThrow(
      '--nodes: expected a node count with the netns runtime, got "abc"',
    );
    await expect(prepareTest({ seed: '9007199254740993' } as TestArgs, dir)).rejects.toThrow(
      '--seed: expected a whole number from -9007199254740991 to 9007199254740991, got 9007199254740993',
    );
    expect(() => parseConfig('test:\n  seed: 9007199254740993\n', 'f.yaml')).toThrow(
      /^f\.yaml:2: test\.seed: expected a whole number from -9007199254740991 to 9007199254740991/,
    );
    expect(() => parseConfig('test:\n  nemesisOptions:\n    __proto__: { x: 1 }\n', 'f.yaml')).toThrow(
      'f.yaml:3: test.nemesisOptions.__proto__: unknown key',
    );
    expect(() => parseConfig('test:\n  workloadOptions:\n    constructor: 1\n', 'f.yaml')).toThrow(
      'f.yaml:3: test.workloadOptions.constructor: unknown key',
    );
    const { planRun } = await import('../run/run-test.js');
    const config = parseConfig('test:\n  target: etcd\n', 'f.yaml');
    const options = resolveTestOptions(config);
    options.targetOptions = JSON.parse('{"constructor": 1}');
    expect(() => planRun(options)).toThrow(/^test\.targetOptions\.constructor: unknown key/);
  });

  it('heal --cluster takes the names clean --name takes, not ../ paths (CLI)', async () => {
    const run = await cli(['heal', '--cluster', '../hst'], { FAULTLINE_HEAL_ROOT: path.join(dir, 'heal') });
    expect(run.code).toBe(254);
    expect(run.stderr).toBe('faultline: --cluster: not a cluster name: "../hst"');
  });
});

describe('terminal output', () => {
  it('escape sequences and C1 controls from a history reach the terminal escaped (CLI), and --json stays the same JSON', async () => {
    const evil = `${ESC}[2J${ESC}]0;owned\u0007\u009b31m`;
    const history = await file(
      'evil.jsonl',
      jsonl([
        op(0, 'invoke', 'write', evil),
        op(0, 'ok', 'write', evil),
        op(0, 'invoke', 'read', null),
        op(0, 'ok', 'read', 'x'),
      ]),
    );
    const run = await cli(['check', history, '--model', 'cas-register']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m');
    expect(RAW_CONTROL.test(run.stdout + run.stderr)).toBe(false);

    const malformed = await file('evil-type.jsonl', `{"type":"ok\u009b2J","process":0,"f":"read"}\n`);
    const error = await check({ files: [malformed] });
    expect(error.stderr).toContain('unknown type "ok\\u009b2J"');

    const json = await check({ files: [history], json: true });
    const parsed = JSON.parse(json.stdout) as Array<{ result: { failure: { partials: unknown } } }>;
    expect(JSON.stringify(parsed)).toContain(JSON.stringify(evil).slice(1, -1)); // the same values
    expect(json.stdout).not.toContain('\u009b');
  });
});

describe('teardown', () => {
  it('a process whose /proc stat vanishes while it is read is gone, not "survived SIGKILL"', async () => {
    const { ALIVE } = await import('../runtime/daemon.js');
    const alive = (pid: string, prelude = '') =>
      execFileSync('sh', ['-c', `${ALIVE}\n${prelude}\nalive ${pid} && echo alive || echo gone`], {
        encoding: 'utf8',
      }).trim();
    expect(alive('$$')).toBe('alive');
    expect(alive('999999999')).toBe('gone');
    // The race: the stat file exists when looked for, and is gone (reaped) when read.
    expect(alive('$$', 'cat() { return 1; }')).toBe('gone');
    const stopped = spawn('sleep', ['100'], { stdio: 'ignore' });
    try {
      process.kill(stopped.pid!, 'SIGSTOP');
      expect(alive(String(stopped.pid))).toBe('alive');
    } finally {
      stopped.kill('SIGKILL');
    }
  });

  it('failed cleanup steps are kept for results.json', async () => {
    const { CleanupStack } = await import('../run/cleanup.js');
    const stack = new CleanupStack({ debug() {}, info() {}, warn() {}, error() {} });
    stack.push('stop etcd', async () => {
      throw new AggregateError([new Error('pid 4 survived SIGKILL')], 'could not stop 1 daemon(s)');
    });
    await stack.run();
    expect(stack.failures()).toEqual(['cleanup: stop etcd failed: could not stop 1 daemon(s): pid 4 survived SIGKILL']);
  });

  const needsCluster = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'setsid'] });

  describe.skipIf(needsCluster)(
    'after 5 runs and a faultline clean (cluster hst5, its folders in a temp folder)',
    () => {
      const cluster = 'hst5';
      let base: string;
      let stateDir: string;
      let healRoot: string;
      let results: string;
      const savedHealRoot = process.env.FAULTLINE_HEAL_ROOT;
      beforeAll(async () => {
        base = path.join(dir, 'lib');
        stateDir = path.join(dir, 'run');
        healRoot = path.join(base, 'heal');
        results = path.join(dir, 'results');
        process.env.FAULTLINE_HEAL_ROOT = healRoot;
      });
      afterAll(async () => {
        process.env.FAULTLINE_HEAL_ROOT = savedHealRoot;
        if (savedHealRoot === undefined) delete process.env.FAULTLINE_HEAL_ROOT;
        await cleanNetns({ name: cluster, stateDir, baseDir: base, force: true }, quietLogger());
      });

      it('nothing of the cluster remains but what --keep-data kept, until a plain clean', async () => {
        const config = parseConfig(
          [
            'runtime:',
            `  netns: { name: ${cluster}, nodes: 1, subnet: 10.242.5.0/24, baseDir: ${base}, stateDir: ${stateDir} }`,
            'test:',
            '  target: etcd',
            '  workload: register',
            '  nemesis: [kill]',
            '  nemesisIntervalSeconds: 1',
            '  timeLimitSeconds: 2',
            '  concurrency: 2',
            `  resultsDir: ${results}`,
            '',
          ].join('\n'),
          'hst5.yaml',
        );
        const logged: string[] = [];
        for (let i = 0; i < 5; i++) {
          const options = resolveTestOptions(
            { ...config, test: { ...config.test, seed: i + 1 } },
            {
              recoverySeconds: 1,
              opTimeoutMs: 2_000,
            },
          );
          const outcome = await runTest(config, options, quietLogger(logged));
          expect(outcome.results.valid, JSON.stringify(outcome.results.warnings)).not.toBe(false);
        }
        const clusterDir = path.join(base, cluster);
        const notes = logged.filter((l) => l.startsWith(`netns: node data kept in ${clusterDir} (`));
        expect(notes).toHaveLength(5);
        for (const note of notes) {
          expect(note).toMatch(/ \((\d+ B|\d+\.\d [KMGT]B)\); `faultline clean --name hst5 --base-dir .*` removes it$/);
        }
        expect(existsSync(path.join(clusterDir, DATA_MARKER))).toBe(true);

        const clean = (...extra: string[]) =>
          cli(['clean', '--name', cluster, '--base-dir', base, '--state-dir', stateDir, ...extra], {
            FAULTLINE_HEAL_ROOT: healRoot,
          });
        const kept = await clean('--keep-data');
        expect(kept.code, kept.stderr).toBe(0);
        expect(existsSync(path.join(clusterDir, 'n1'))).toBe(true);

        const cleaned = await clean();
        expect(cleaned.code, cleaned.stderr).toBe(0);
        expect(cleaned.stdout).toContain(`removed netns cluster ${cluster}: node data ${clusterDir}`);
        // Nothing of faultline's: no node data, no heal state of the cluster, no state file, no namespace.
        const left = (await readdir(base)).filter((e) => e !== 'heal');
        expect(left).toEqual([]);
        expect(await readdir(healRoot).catch(() => [])).toEqual([]);
        expect(await readdir(stateDir).catch(() => [])).toEqual([]);
        expect((await listNamespaces()).filter((ns) => ns.startsWith(`${cluster}-`))).toEqual([]);
        // The runs' own results stay where the user asked for them.
        expect((await readdir(path.join(results, 'etcd-register'))).length).toBe(5);
        expect(JSON.parse(await readFile(path.join(results, 'latest', 'results.json'), 'utf8'))).toHaveProperty(
          'warnings',
        );
      }, 600_000);
    },
  );
});

function quietLogger(lines: string[] = []): Logger {
  return { debug() {}, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}
