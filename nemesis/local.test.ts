/**
 * The parts that run without root or a cluster: the process listing, heal
 * state files, clock offset files under libfaketime.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../harness/errors.js';
import { silentLogger } from '../harness/log.js';
import { attachRuntime, runtimeOptions } from '../harness/runtime/attach.js';
import type { ExecOptions, ExecResult, Runtime } from '../harness/runtime/runtime.js';
import { missing } from '../harness/testing/requirements.js';
import { clockEnv, faketimeSpec, measureOffset, writeOffset } from './clock/nemesis.js';
import {
  DEFAULT_HEAL_ROOT,
  healFromState,
  healRoot,
  healStateDir,
  healStateDirs,
  liveOwner,
} from './heal-from-state.js';
import { checkStateDir, HealState, recordFault } from './heal-state.js';
import { dropRuleArgs } from './iptables.js';
import { lossPlan } from './packet/nemesis.js';
import { ended, listProcesses, newlyStopped, parseProcList, resumeProcesses } from './procs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 't5-local-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A "runtime" whose single node is this host: commands run locally. */
const local = {
  kind: 'local',
  nodeDir: (node: string) => path.join(tmp, node),
  exec(_node: string, argv: string[], options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const p = spawn(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...options.env } });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.once('error', reject);
      p.once('close', (code) => {
        if (code !== 0 && options.check !== false) reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`));
        else resolve({ exitCode: code ?? -1, stdout, stderr, timedOut: false });
      });
    });
  },
} as unknown as Runtime;

describe('process listing', () => {
  it('parses /proc states and finds what stopped or ended', () => {
    const before = parseProcList('10 S 10\n11 R 11\n12 T 12\njunk\n13 S 13\n');
    const after = parseProcList('10 T 10\n11 R 11\n12 T 12\n13 Z 13\n');
    expect(before[0]).toEqual({ pid: 10, state: 'S', pgid: 10 });
    expect(newlyStopped(before, after)).toEqual([10]);
    expect(ended(before, after)).toEqual([13]);
  });

  it('ended counts only whole process groups whose leader ended, not any process that exits', () => {
    // 20 leads a group with 21 (a daemon and its child); 31 belongs to the live group of 30;
    // 40 is in a group led outside the node (a command the controller ran).
    const before = parseProcList('20 S 20\n21 S 20\n30 S 30\n31 S 30\n40 S 99\n');
    expect(ended(before, parseProcList('30 S 30\n'))).toEqual([20, 21]);
    expect(ended(before, parseProcList('20 S 20\n21 S 20\n30 S 30\n'))).toEqual([]);
  });

  it('lists real processes with their state, sees a SIGSTOP, and resumes exactly the given pid', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      const pid = sleeper.pid!;
      // Just spawned, it may still be running (R) on its way to exec and sleep.
      let before = await listProcesses(local, 'n1');
      for (let i = 0; i < 100 && before.find((p) => p.pid === pid)?.state !== 'S'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        before = await listProcesses(local, 'n1');
      }
      expect(before.find((p) => p.pid === pid)?.state).toBe('S');
      process.kill(pid, 'SIGSTOP');
      const after = await listProcesses(local, 'n1');
      expect(newlyStopped(before, after)).toContain(pid);
      expect(await resumeProcesses(local, 'n1', [pid, 999_999_999])).toEqual([pid]);
      expect((await listProcesses(local, 'n1')).find((p) => p.pid === pid)?.state).toMatch(/[RS]/);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});

describe('rules and plans', () => {
  it('builds iptables words for plain and probabilistic drops', () => {
    expect(dropRuleArgs('C', [{ source: '10.0.0.2' }, { source: '10.0.0.3', probability: 0.3 }])).toEqual([
      ['-A', 'C', '-s', '10.0.0.2', '-j', 'DROP'],
      ['-A', 'C', '-s', '10.0.0.3', '-m', 'statistic', '--mode', 'random', '--probability', '0.3', '-j', 'DROP'],
    ]);
  });

  it('plans loss per node (from every other node) and per link (both ends)', () => {
    const nodes = ['n1', 'n2', 'n3'];
    expect(lossPlan(nodes, { nodes: ['n2'] })).toEqual({ n2: ['n1', 'n3'] });
    expect(lossPlan(nodes, { links: [['n1', 'n3']] })).toEqual({ n1: ['n3'], n3: ['n1'] });
    expect(() => lossPlan(nodes, { links: [['n1', 'n9']] })).toThrow(/unknown node "n9"/);
    expect(() => lossPlan(nodes, { links: [['n1', 'n1']] })).toThrow(/two different nodes/);
  });
});

describe('heal state', () => {
  it('writes, lists, reads and clears fault records; corrupt files are a UserError naming the file', async () => {
    const dir = path.join(tmp, 'state');
    const state = new HealState(dir);
    expect(await state.pending()).toEqual([]);
    await state.write('pause', { n1: [12] });
    await state.write('partition', { nodes: ['n1'] });
    expect(await state.pending()).toEqual(['partition', 'pause']);
    expect(await state.read('pause')).toEqual({ n1: [12] });
    await state.clear('pause');
    await state.clear('pause');
    expect(await state.pending()).toEqual(['partition']);
    writeFileSync(path.join(dir, 'clock.json'), '{"nodes": [');
    await expect(state.read('clock')).rejects.toThrow(UserError);
    await expect(state.read('clock')).rejects.toThrow(/clock\.json: heal state is not valid JSON/);
  });

  it('healFromState refuses faults without a runtime record, heals nothing in an empty folder', async () => {
    expect((await healFromState(path.join(tmp, 'empty'), silentLogger)).healed).toEqual([]);
    await expect(healFromState(path.join(tmp, 'state'), silentLogger)).rejects.toThrow(/runtime\.json .* is missing/);
  });
});

describe('heal root and state folder checks', () => {
  const saved = process.env.FAULTLINE_HEAL_ROOT;
  afterAll(() => {
    if (saved === undefined) delete process.env.FAULTLINE_HEAL_ROOT;
    else process.env.FAULTLINE_HEAL_ROOT = saved;
  });

  it('takes the heal root from FAULTLINE_HEAL_ROOT, else the default', async () => {
    delete process.env.FAULTLINE_HEAL_ROOT;
    expect(healRoot()).toBe(DEFAULT_HEAL_ROOT);
    expect(healStateDir('c1')).toBe(path.join(DEFAULT_HEAL_ROOT, 'c1'));
    const root = path.join(tmp, 'heal-root');
    process.env.FAULTLINE_HEAL_ROOT = root;
    expect(healStateDir('c1')).toBe(path.join(root, 'c1'));
    await checkStateDir(path.join(root, 'c1'));
    expect(await healStateDirs()).toEqual([path.join(root, 'c1')]);
  });

  it('refuses a heal state folder that cannot be created, naming it', async () => {
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, '');
    const dir = path.join(file, 'cluster');
    const err = await checkStateDir(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).where).toBe(dir);
    expect((err as Error).message).toMatch(/cannot create or write the heal state folder .*FAULTLINE_HEAL_ROOT/);
  });

  it('records the owner pid; liveOwner names a live owner other than this process, not a dead one', async () => {
    const dir = path.join(tmp, 'owned');
    const ctx = {
      stateDir: dir,
      runtime: {
        kind: 'netns',
        attachment: () => ({ kind: 'netns', options: {} }),
        nodes: () => [],
        controllerAddress: () => '10.0.0.1',
      } as unknown as Runtime,
    };
    await recordFault(ctx, 'partition', { nodes: [] });
    const state = new HealState(dir);
    expect((await state.readRuntime())?.ownerPid).toBe(process.pid);
    expect(await liveOwner(dir)).toBeUndefined(); // this very process
    const sleeper = spawn('sleep', ['30']);
    try {
      await state.writeRuntime({ ...(await state.readRuntime())!, ownerPid: sleeper.pid! });
      expect(await liveOwner(dir)).toBe(sleeper.pid);
    } finally {
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
    }
    expect(await liveOwner(dir)).toBeUndefined();
  });

  it('records the target: its name, options without secrets, and the folder its paths are from', async () => {
    const dir = path.join(tmp, 'target');
    const runtime = {
      kind: 'netns',
      attachment: () => ({ kind: 'netns', options: {} }),
      nodes: () => [],
      controllerAddress: () => '10.0.0.1',
    } as unknown as Runtime;
    const target = { name: 'process' };
    await recordFault(
      { stateDir: dir, runtime, target, targetCtx: { options: { start: 'x' }, workDir: '/home/me/proj' } },
      'membership',
      { removed: [] },
    );
    expect((await new HealState(dir).readRuntime())?.target).toEqual({
      name: 'process',
      options: { start: 'x' },
      workDir: '/home/me/proj',
    });
    await recordFault({ stateDir: dir, runtime, target, targetCtx: { options: {} } }, 'membership', { removed: [] });
    expect((await new HealState(dir).readRuntime())?.target).toEqual({ name: 'process', options: {} });
  });
});

describe('attaching to a recorded runtime', () => {
  const base = { nodes: [{ name: 'n1', address: '10.0.0.2' }], controllerAddress: '10.0.0.1' };
  it('takes the options themselves or the section for the recorded kind of a config', () => {
    expect(runtimeOptions({ ...base, kind: 'netns', options: { name: 'a' } })).toEqual({ name: 'a' });
    expect(
      runtimeOptions({ ...base, kind: 'netns', options: { kind: 'netns', netns: { name: 'b' }, docker: {} } }),
    ).toEqual({ name: 'b' });
    expect(runtimeOptions({ ...base, kind: 'netns', options: null })).toBeUndefined();
  });
  it('refuses an unknown kind or missing options plainly', async () => {
    await expect(attachRuntime({ ...base, kind: 'vm', options: {} }, silentLogger, 'f')).rejects.toThrow(
      /unknown runtime kind "vm"/,
    );
    await expect(attachRuntime({ ...base, kind: 'netns', options: null }, silentLogger, 'f')).rejects.toThrow(
      UserError,
    );
  });
});

describe.skipIf(missing({ commands: ['faketime', 'date'] }))('clock offsets under libfaketime', () => {
  it('formats libfaketime offsets', () => {
    expect(faketimeSpec(1500)).toBe('+1.500');
    expect(faketimeSpec(-200)).toBe('-0.200');
    expect(faketimeSpec(0)).toBe('+0.000');
  });

  it('a libc program sees the offset written for its node; the controller clock does not', async () => {
    await writeOffset(local, 'n1', -3000);
    expect(readFileSync(clockEnv({ runtime: local }, 'n1').FAKETIME_TIMESTAMP_FILE!, 'utf8')).toBe('-3.000\n');
    const m = await measureOffset(local, 'n1');
    expect(Math.abs(m.offsetMs - -3000)).toBeLessThan(300);
    await writeOffset(local, 'n1', 0);
    expect(Math.abs((await measureOffset(local, 'n1')).offsetMs)).toBeLessThan(300);
  });
});
