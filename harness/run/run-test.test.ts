/**
 * `faultline test` end to end, against real etcd clusters on all three
 * runtimes: netns (t9n, 10.231.9.0/24), docker (t9d, 10.231.10.0/24), ssh
 * (sshd in netns nodes: t9s, 10.231.11.0/24), Ctrl-C (t9c, 10.231.12.0/24),
 * and bad input. Some runs go through the CLI (`node bin/faultline.js test`),
 * the rest through runTest. After each run nothing of its cluster may be left:
 * namespaces, etcd processes, stopped processes, iptables rules, heal state,
 * containers.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEAL_ROOT } from '../../nemesis/heal-from-state.js';
import { type ConfigFlags, defaultConfig, loadConfig, mergeFlags } from '../config/load.js';
import type { FaultlineConfig } from '../config/schema.js';
import type { Op } from '../history/op.js';
import { silentLogger } from '../log.js';
import type { RunResults } from '../results/results.js';
import { ensureImage, removeDockerCluster } from '../runtime/docker/index.js';
import { dockerLeftovers } from '../runtime/docker/leftovers.js';
import { resolveDockerOptions } from '../runtime/docker/options.js';
import { hostRulesMentioning, netnsLeftovers, processesWith } from '../runtime/netns/leftovers.js';
import { type SshdCluster, startSshdCluster } from '../runtime/ssh/testing/sshd-cluster.js';
import { type DockerdHandle, dockerdMissing, startDockerd } from '../testing/dockerd.js';
import { missing } from '../testing/requirements.js';
import { type RunFlags, resolveTestOptions } from './options.js';
import { type RunOutcome, runTest } from './run-test.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'faultline.js');
const NETNS_BASE = '/var/lib/faultline';
const needs = missing({ root: true, commands: ['etcd', 'ip', 'iptables', 'iptables-save', 'setsid'] });

let resultsRoot: string;
beforeAll(async () => {
  resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-run-test-'));
});
afterAll(async () => {
  await rm(resultsRoot, { recursive: true, force: true });
});

// ---------------------------------------------------------------- helpers

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node bin/faultline.js ...args`; `during` may act on the child while it runs. */
function runCli(
  args: string[],
  options: { cwd?: string; timeoutMs?: number; during?: (child: ReturnType<typeof spawn>) => Promise<void> } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `faultline ${args.join(' ')} did not exit within ${options.timeoutMs ?? 120_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 120_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.during?.(child).catch((err: unknown) => {
      child.kill('SIGKILL');
      reject(err as Error);
    });
  });
}

async function readHistory(runDir: string): Promise<Op[]> {
  const text = await readFile(path.join(runDir, 'history.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Op);
}

async function readResults(runDir: string): Promise<RunResults> {
  return JSON.parse(await readFile(path.join(runDir, 'results.json'), 'utf8')) as RunResults;
}

/** The run's own log, for failure messages. */
async function logTail(runDir: string): Promise<string> {
  const text = await readFile(path.join(runDir, 'faultline.log'), 'utf8').catch(() => '(no faultline.log)');
  return text
    .split('\n')
    .filter((l) => !l.includes(' status '))
    .slice(-40)
    .join('\n');
}

/** Asserts a valid verdict; otherwise fails with the checker's result and the run's log. */
async function expectValid(runDir: string, results: RunResults): Promise<void> {
  if (results.valid !== true) {
    const checker = JSON.stringify(results.checker).slice(0, 2_000);
    expect.fail(`run ${runDir} is ${String(results.valid)}\nchecker: ${checker}\nlog:\n${await logTail(runDir)}`);
  }
}

/** Every file the results folder must hold, including nodes/<node>/etcd.log for each node. */
async function expectRunFolder(runDir: string, nodes: string[]): Promise<void> {
  for (const file of ['test.json', 'history.jsonl', 'results.json', 'report.html', 'faultline.log']) {
    expect(existsSync(path.join(runDir, file)), `${runDir}/${file}`).toBe(true);
  }
  expect((await readdir(path.join(runDir, 'nodes'))).sort()).toEqual([...nodes].sort());
  for (const node of nodes) {
    const log = await readFile(path.join(runDir, 'nodes', node, 'etcd.log'), 'utf8');
    expect(log, `nodes/${node}/etcd.log`).toMatch(/etcd/);
  }
}

/** Completed nemesis ops (an info op with a value follows each nemesis invocation). */
function nemesisCompletions(history: Op[]): Op[] {
  const open = new Set<string>();
  const done: Op[] = [];
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (open.has(op.f)) {
      open.delete(op.f);
      done.push(op);
    } else open.add(op.f);
  }
  return done;
}

/** Live host processes (not zombies) whose command line contains text and that are stopped (state T). */
async function stoppedWith(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(text) && /^[Tt]/.test(stat.slice(stat.lastIndexOf(')') + 2)))
        found.push(`stopped ${entry} ${cmdline}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** What a netns run of `cluster` left: namespaces, links, etcd and stopped processes, host rules, heal state. */
async function netnsRunLeftovers(cluster: string, subnet: string): Promise<string[]> {
  const nodeDirs = `${NETNS_BASE}/${cluster}/`;
  const prefix = `${subnet.split('.').slice(0, 3).join('.')}.`;
  return [
    ...(await netnsLeftovers(cluster, nodeDirs)),
    ...(await stoppedWith(nodeDirs)),
    ...(await hostRulesMentioning([cluster, prefix])).map((r) => `iptables rule ${r}`),
    ...(existsSync(path.join(DEFAULT_HEAL_ROOT, cluster))
      ? [`heal state ${path.join(DEFAULT_HEAL_ROOT, cluster)}`]
      : []),
  ];
}

/** A 3-node etcd config from flags, as the CLI builds it. */
function configFor(flags: ConfigFlags, base: FaultlineConfig = defaultConfig()): FaultlineConfig {
  const nodes = base.runtime.kind === 'ssh' ? {} : { nodes: 3 }; // ssh: the config file names the hosts
  return mergeFlags(base, { ...nodes, concurrency: 5, nemesisInterval: 2, resultsDir: resultsRoot, ...flags });
}

const QUICK: RunFlags = { recoverySeconds: 3, opTimeoutMs: 2_000 };

async function run(config: FaultlineConfig, flags: RunFlags = QUICK): Promise<RunOutcome> {
  return runTest(config, resolveTestOptions(config, flags), silentLogger);
}

async function cleanNetns(cluster: string): Promise<void> {
  await runCli(['clean', '--name', cluster], { timeoutMs: 30_000 }).catch(() => undefined);
  await rm(`${NETNS_BASE}/${cluster}`, { recursive: true, force: true });
  await rm(path.join(DEFAULT_HEAL_ROOT, cluster), { recursive: true, force: true });
}

// ------------------------------------------------------------------ netns

describe.skipIf(needs)('faultline test on netns', () => {
  const cluster = 't9n';
  const subnet = '10.231.9.0/24';
  afterAll(async () => cleanNetns(cluster));

  it('register under partition and kill: valid, a complete results folder, nothing left (CLI)', async () => {
    const dir = path.join(resultsRoot, 'cli');
    const r = await runCli([
      'test',
      '--target',
      'etcd',
      '--workload',
      'register',
      '--nemesis',
      'partition,kill',
      '--time-limit',
      '15',
      '--nemesis-interval',
      '3',
      '--seed',
      '9',
      '--nodes',
      '3',
      '--concurrency',
      '5',
      '--cluster',
      cluster,
      '--subnet',
      subnet,
      '--results-dir',
      dir,
      '--recovery-time',
      '3',
    ]);
    const runDir = r.stdout.match(/^\s*results: (.+)$/m)?.[1];
    expect(runDir, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBeDefined();
    await expectValid(runDir!, await readResults(runDir!));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^VALID {2}etcd-register \(seed 9\)$/m);
    expect(path.dirname(path.dirname(runDir!))).toBe(dir);

    await expectRunFolder(runDir!, ['n1', 'n2', 'n3']);
    const testJson = JSON.parse(await readFile(path.join(runDir!, 'test.json'), 'utf8')) as {
      seed: number;
      nodes: string[];
      nemesis: string[];
    };
    expect([testJson.seed, testJson.nodes, testJson.nemesis]).toEqual([9, ['n1', 'n2', 'n3'], ['partition', 'kill']]);

    const history = await readHistory(runDir!);
    expect(history.filter((op) => op.process !== 'nemesis' && op.type === 'ok').length).toBeGreaterThan(100);
    const faults = nemesisCompletions(history).filter((op) => op.f === 'start-partition' || op.f === 'kill');
    expect(faults.length).toBeGreaterThan(0);
    // results.json has a closed window for the faults: each opens at a fault's completion, and
    // every fault in the history falls inside one.
    const { faults: windows } = await readResults(runDir!);
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) {
      expect(faults.map((op) => op.time)).toContain(w.start);
      expect(w.end, `${w.fault} window ends`).toBeGreaterThan(w.start);
    }
    for (const op of faults)
      expect(
        windows.some((w) => w.start <= op.time && op.time <= (w.end ?? Infinity)),
        `${op.f} at ${op.time}`,
      ).toBe(true);

    expect(await netnsRunLeftovers(cluster, subnet)).toEqual([]);
  }, 120_000);

  it('cas-register under pause: valid, nothing left', async () => {
    const outcome = await run(
      configFor({ cluster, subnet, workload: 'cas-register', nemesis: 'pause', timeLimit: 8, seed: 21 }),
    );
    await expectValid(outcome.runDir, outcome.results);
    const paused = nemesisCompletions(await readHistory(outcome.runDir)).filter((op) => op.f === 'pause');
    expect(paused.length).toBeGreaterThan(0);
    expect(outcome.results.faults.some((w) => w.fault === 'pause')).toBe(true);
    expect(await netnsRunLeftovers(cluster, subnet)).toEqual([]);
  }, 90_000);

  it('set under clock skew: valid, and warns that etcd ignores libfaketime', async () => {
    const outcome = await run(
      configFor({ cluster, subnet, workload: 'set', nemesis: 'clock', timeLimit: 8, seed: 33 }),
    );
    await expectValid(outcome.runDir, outcome.results);
    expect(outcome.results.warnings.join('\n')).toMatch(/etcd.*libfaketime/);
    const stored = await readResults(outcome.runDir);
    expect(stored.warnings).toEqual(outcome.results.warnings);
    expect(await netnsRunLeftovers(cluster, subnet)).toEqual([]);
  }, 90_000);
});

// ----------------------------------------------------------------- docker

describe.skipIf(needs ?? dockerdMissing())('faultline test on docker', () => {
  const cluster = 't9d';
  let dockerd: DockerdHandle | undefined;
  let docker: Docker;

  beforeAll(async () => {
    dockerd = await startDockerd();
    docker = new Docker({ socketPath: dockerd.socketPath });
    // The first build (debootstrap) takes about a minute; later runs reuse the cached image.
    await ensureImage(docker, resolveDockerOptions({}).image, silentLogger);
  }, 600_000);
  afterAll(async () => {
    if (docker) await removeDockerCluster(docker, cluster).catch(() => undefined);
    await rm(path.join(DEFAULT_HEAL_ROOT, cluster), { recursive: true, force: true });
    await dockerd?.stop();
  });

  it('register under partition: valid, no containers or networks left', async () => {
    const outcome = await run(
      configFor({
        runtime: 'docker',
        cluster,
        subnet: '10.231.10.0/24',
        workload: 'register',
        nemesis: 'partition',
        timeLimit: 10,
        seed: 41,
      }),
    );
    await expectValid(outcome.runDir, outcome.results);
    await expectRunFolder(outcome.runDir, ['n1', 'n2', 'n3']);
    expect(nemesisCompletions(await readHistory(outcome.runDir)).some((op) => op.f === 'start-partition')).toBe(true);
    expect(await dockerLeftovers(docker, cluster)).toEqual([]);
    expect(existsSync(path.join(DEFAULT_HEAL_ROOT, cluster))).toBe(false);
  }, 180_000);
});

// -------------------------------------------------------------------- ssh

describe.skipIf(needs ?? missing({ commands: ['/usr/sbin/sshd', 'ssh-keygen'] }))('faultline test on ssh', () => {
  let sshd: SshdCluster | undefined;

  beforeAll(async () => {
    sshd = await startSshdCluster({ name: 't9s', subnet: '10.231.11.0/24', nodes: 3 });
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(path.join(DEFAULT_HEAL_ROOT, 'ssh-t9s-ssh'), { recursive: true, force: true });
  });

  it('register under kill, from a config file naming the sshd nodes: valid, no etcd left', async () => {
    const s = sshd!;
    const file = path.join(s.dir, 'faultline.config.yaml');
    const addresses = s.cluster.nodes().map((n) => n.address);
    await writeFile(
      file,
      [
        'runtime:',
        '  kind: ssh',
        '  ssh:',
        '    user: root',
        `    privateKeyFile: ${s.clientKeyFile}`,
        `    baseDir: ${s.sshBaseDir}`,
        `    nodes: [${addresses.join(', ')}]`,
        'test:',
        '  name: t9s-ssh',
        '  workload: register',
        '  nemesis: [kill]',
        '',
      ].join('\n'),
    );
    const config = configFor({ timeLimit: 10, seed: 51 }, await loadConfig(file, s.dir));
    expect(config.runtime.kind).toBe('ssh');
    const outcome = await run(config);
    await expectValid(outcome.runDir, outcome.results);
    await expectRunFolder(outcome.runDir, ['n1', 'n2', 'n3']);
    const record = JSON.parse(await readFile(path.join(outcome.runDir, 'test.json'), 'utf8')) as { runtime: string };
    expect(record.runtime).toBe('ssh');
    expect(nemesisCompletions(await readHistory(outcome.runDir)).some((op) => op.f === 'kill')).toBe(true);
    expect(outcome.results.faults.some((w) => w.fault === 'kill')).toBe(true);
    // etcd ran on the sshd nodes under the ssh runtime's node directories; none is left, none stopped.
    expect([...(await processesWith(s.sshBaseDir)), ...(await stoppedWith(s.sshBaseDir))]).toEqual([]);
    expect(existsSync(path.join(DEFAULT_HEAL_ROOT, 'ssh-t9s-ssh'))).toBe(false);
  }, 120_000);
});

// ----------------------------------------------------------------- Ctrl-C

describe.skipIf(needs)('Ctrl-C during faultline test', () => {
  const cluster = 't9c';
  const subnet = '10.231.12.0/24';
  afterAll(async () => cleanNetns(cluster));

  it('heals, tears down and exits 130, keeping the partial history', async () => {
    const dir = path.join(resultsRoot, 'ctrl-c');
    const historyFile = path.join(dir, 'latest', 'history.jsonl');
    let sentAt = 0;
    const r = await runCli(
      [
        'test',
        '--workload',
        'register',
        '--nemesis',
        'partition',
        '--nemesis-interval',
        '2',
        '--time-limit',
        '60',
        '--seed',
        '61',
        '--nodes',
        '3',
        '--concurrency',
        '5',
        '--cluster',
        cluster,
        '--subnet',
        subnet,
        '--results-dir',
        dir,
      ],
      {
        timeoutMs: 90_000,
        during: async (child) => {
          const deadline = Date.now() + 45_000;
          for (;;) {
            const text = await readFile(historyFile, 'utf8').catch(() => '');
            const ops = text
              .split('\n')
              .filter((l) => l.endsWith('}'))
              .map((l) => JSON.parse(l) as Op);
            if (nemesisCompletions(ops).some((op) => op.f === 'start-partition')) break;
            if (Date.now() > deadline) throw new Error(`no start-partition completion in ${historyFile} after 45 s`);
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          sentAt = Date.now();
          child.kill('SIGINT');
        },
      },
    );
    expect(sentAt, `SIGINT was sent\n${r.stdout}\n${r.stderr}`).toBeGreaterThan(0);
    expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(130);
    expect(r.stdout).toContain('interrupted');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // The workload stopped well before its 60 s time limit.
    const runDir = r.stdout.match(/^\s*results: (.+)$/m)?.[1];
    expect(runDir).toBeDefined();
    const history = await readHistory(runDir!);
    expect(nemesisCompletions(history).some((op) => op.f === 'start-partition')).toBe(true);
    expect(await readFile(path.join(runDir!, 'faultline.log'), 'utf8')).toMatch(
      /SIGINT[\s\S]*cleanup: heal every fault[\s\S]*cleanup: tear down the nodes/,
    );
    expect(history.at(-1)!.time).toBeLessThan(40e9);
    expect(existsSync(path.join(runDir!, 'test.json'))).toBe(true);
    expect(await netnsRunLeftovers(cluster, subnet)).toEqual([]);
  }, 120_000);

  it('during setup: stops setting up, tears down what was made and exits 130', async () => {
    const dir = path.join(resultsRoot, 'ctrl-c-setup');
    const logFile = path.join(dir, 'latest', 'faultline.log');
    let sent = false;
    const r = await runCli(
      [
        'test',
        '--time-limit',
        '60',
        '--nodes',
        '3',
        '--concurrency',
        '3',
        '--cluster',
        cluster,
        '--subnet',
        subnet,
        '--results-dir',
        dir,
      ],
      {
        timeoutMs: 90_000,
        during: async (child) => {
          const deadline = Date.now() + 45_000;
          // As soon as the nodes are up, well before etcd is ready.
          while (!(await readFile(logFile, 'utf8').catch(() => '')).includes('nodes up')) {
            if (Date.now() > deadline) throw new Error(`no "nodes up" in ${logFile} after 45 s`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          child.kill('SIGINT');
          sent = true;
        },
      },
    );
    expect(sent).toBe(true);
    expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(130);
    expect(r.stderr).toContain('interrupted while setting up the cluster');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(await readFile(logFile, 'utf8')).toMatch(/SIGINT[\s\S]*cleanup: tear down the nodes/);
    expect(existsSync(path.join(dir, 'latest', 'history.jsonl'))).toBe(false);
    expect(await netnsRunLeftovers(cluster, subnet)).toEqual([]);
  }, 120_000);
});

// -------------------------------------------------------------- bad input

describe('faultline test with bad input', () => {
  const expectBadInput = (r: CliResult, naming: RegExp) => {
    expect(r.code, r.stderr).toBe(254);
    expect(r.stderr).toMatch(naming);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
  };

  it('an unknown workload: 254 naming --workload and the known ones', async () => {
    expectBadInput(
      await runCli(['test', '--workload', 'nope', '--results-dir', resultsRoot]),
      /--workload: .*"nope".*register/,
    );
  });

  it('a concurrency that is not a number: 254 naming --concurrency', async () => {
    expectBadInput(
      await runCli(['test', '--concurrency', 'abc', '--results-dir', resultsRoot]),
      /--concurrency: expected a whole number, got "abc"/,
    );
  });

  it('a config file with a wrong key: 254 naming the file, line and key', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'faultline-bad-config-'));
    try {
      await writeFile(path.join(dir, 'bad.yaml'), 'test:\n  workload: register\n  tiemLimit: 5\n');
      expectBadInput(
        await runCli(['test', '--config', 'bad.yaml'], { cwd: dir }),
        /bad\.yaml:3: test\.tiemLimit: unknown key/,
      );
      expect(existsSync(path.join(dir, 'results'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
