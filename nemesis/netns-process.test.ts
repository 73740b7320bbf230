/**
 * Kill, pause and clock skew on real netns nodes, and `faultline heal` after
 * a controller killed with SIGKILL during a partition.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../harness/errors.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import { missing } from '../harness/testing/requirements.js';
import { clockEnv, clockNemesis, measureOffset, offsetFile } from './clock/nemesis.js';
import { HealState } from './heal-state.js';
import { listRules } from './iptables.js';
import { killNemesis } from './kill/nemesis.js';
import type { NemesisContext } from './nemesis.js';
import { healPartition } from './partition/nemesis.js';
import { pauseNemesis } from './pause/nemesis.js';
import {
  eventually,
  nemesisContext,
  netnsOptions,
  removeTempStateDirs,
  tempStateDir,
  testRuntime,
} from './testing/cluster.js';
import { ECHO_DAEMON, type EchoTarget, echoTarget } from './testing/echo-target.js';
import { allPairs, controllerReaches, reachablePairs } from './testing/probe.js';

const needs = missing({ root: true, commands: ['ip', 'iptables', 'faketime', 'perl'] });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The state letter of a host pid (netns nodes share the host's PID namespace); undefined when gone. */
function procState(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
  } catch {
    return undefined;
  }
}

/** The wall clock minus the monotonic clock: changes only if the host's clock is set. */
const hostClockSkew = () => Date.now() - (performance.timeOrigin + performance.now());

describe.skipIf(needs)('kill, pause and clock on netns nodes', () => {
  let runtime: Runtime;
  let target: EchoTarget;
  let ctx: NemesisContext;
  let nodes: string[];
  let skewAtStart: number;
  const kill = killNemesis();
  const pause = pauseNemesis();
  const clock = clockNemesis();

  beforeAll(async () => {
    skewAtStart = hostClockSkew();
    runtime = testRuntime('t5k');
    await runtime.up();
    nodes = runtime.nodes().map((n) => n.name);
    target = echoTarget();
    ctx = nemesisContext(runtime, target, { seed: 7 });
    for (const n of nodes) await target.setup(ctx.targetCtx, n);
    await eventually('echo daemons listening', async () => (await controllerReaches(runtime)).length === nodes.length);
    for (const nem of [kill, pause, clock]) await nem.setup(ctx);
  });

  afterAll(async () => {
    if (!runtime) return;
    try {
      for (const nem of [pause, kill, clock]) await nem.heal(ctx);
    } finally {
      await runtime.down();
      removeTempStateDirs();
    }
  });

  it('kill ends the daemon (SIGKILL); start brings it back', async () => {
    const pid = (await runtime.daemonPid('n2', ECHO_DAEMON))!;
    expect(procState(pid)).toMatch(/[RS]/);
    const result = await kill.invoke(ctx, { f: 'kill', value: { nodes: ['n2'] } });
    expect(result.error).toBeUndefined();
    expect((result.value as { killed: Record<string, number[]> }).killed.n2).toContain(pid);
    expect(procState(pid) ?? 'gone').toMatch(/gone|Z/);
    expect(await controllerReaches(runtime)).toEqual(nodes.filter((n) => n !== 'n2'));
    expect(await new HealState(ctx.stateDir).pending()).toContain('kill');

    const started = await kill.invoke(ctx, { f: 'start' });
    expect(started).toEqual({ value: { started: ['n2'] } });
    await eventually('n2 listening again', async () => (await controllerReaches(runtime)).includes('n2'));
    const newPid = (await runtime.daemonPid('n2', ECHO_DAEMON))!;
    expect(newPid).not.toBe(pid);
    expect(procState(newPid)).toMatch(/[RS]/);
    expect(await new HealState(ctx.stateDir).pending()).not.toContain('kill');
  });

  it('pause stops the daemon (state T, pid recorded for heal); resume continues it', async () => {
    const pid = (await runtime.daemonPid('n3', ECHO_DAEMON))!;
    const result = await pause.invoke(ctx, { f: 'pause', value: { nodes: ['n3'] } });
    expect(result.error).toBeUndefined();
    expect(result.value).toEqual({ paused: { n3: [pid] } });
    expect(procState(pid)).toBe('T');
    expect(await new HealState(ctx.stateDir).read('pause')).toEqual({ n3: [pid] });

    const resumed = await pause.invoke(ctx, { f: 'resume' });
    expect(resumed.error).toBeUndefined();
    expect(procState(pid)).toMatch(/[RS]/);
    expect(await new HealState(ctx.stateDir).pending()).not.toContain('pause');
  });

  it('pause of a majority (seeded choice) pauses three nodes; heal resumes them all', async () => {
    const result = await pause.invoke(ctx, { f: 'pause', value: { nodes: 'majority' } });
    expect(result.error).toBeUndefined();
    const paused = (result.value as { paused: Record<string, number[]> }).paused;
    expect(Object.keys(paused)).toHaveLength(3);
    const pids = Object.values(paused).flat();
    for (const pid of pids) expect(procState(pid)).toBe('T');
    await pause.heal(ctx);
    for (const pid of pids) expect(procState(pid)).toMatch(/[RS]/);
  });

  it('a daemon killed while paused: resume still succeeds (nothing left stopped), start restores it', async () => {
    const pid = (await runtime.daemonPid('n4', ECHO_DAEMON))!;
    expect((await pause.invoke(ctx, { f: 'pause', value: { nodes: ['n4'] } })).error).toBeUndefined();
    expect((await kill.invoke(ctx, { f: 'kill', value: { nodes: ['n4'] } })).error).toBeUndefined();
    expect(procState(pid) ?? 'gone').toMatch(/gone|Z/);
    const resumed = await pause.invoke(ctx, { f: 'resume' });
    expect(resumed.error).toBeUndefined();
    expect(resumed.value).toMatchObject({ targetErrors: { n4: expect.stringMatching(/not running/) } });
    expect((await kill.invoke(ctx, { f: 'start' })).error).toBeUndefined();
    await eventually('n4 listening again', async () => (await controllerReaches(runtime)).includes('n4'));
  });

  /** Runs `fn` with a bystander daemon on n5: a shell (its group's leader) looping over `sleep 300`. */
  async function withBystander(fn: (leader: number) => Promise<void>): Promise<void> {
    const { pid } = await runtime.startDaemon('n5', {
      name: 'bystander',
      argv: ['sh', '-c', 'while :; do sleep 300; done'],
    });
    try {
      await fn(pid);
    } finally {
      await runtime.stopDaemon('n5', 'bystander', 500);
    }
  }

  it('a pause that stops nothing records nothing; resume and heal leave a process someone else stopped alone', async () => {
    await withBystander(async (leader) => {
      await runtime.signalDaemon('n5', 'bystander', 'SIGSTOP');
      await eventually('bystander stopped', async () => procState(leader) === 'T');
      const inert = { ...target, pause: async () => {} } as EchoTarget;
      const inertCtx = nemesisContext(runtime, inert);
      const nem = pauseNemesis();
      const r = await nem.invoke(inertCtx, { f: 'pause', value: { nodes: ['n5'] } });
      expect(r.error).toMatch(/no process stopped/);
      expect(await new HealState(inertCtx.stateDir).pending()).not.toContain('pause');
      expect((await nem.invoke(inertCtx, { f: 'resume' })).error).toBeUndefined();
      await nem.heal(inertCtx);
      expect(procState(leader)).toBe('T');
    });
  });

  it('kill counts only a process group that ended: a stray process exiting on the node is no kill', async () => {
    await withBystander(async (leader) => {
      // A "kill" that only ends the sleep inside the bystander's group; the group's leader lives on.
      const stray = {
        ...target,
        kill: async (c, node) => {
          await c.runtime.exec(node, ['pkill', '-KILL', '-P', String(leader), 'sleep']);
        },
      } as EchoTarget;
      const r = await killNemesis().invoke(nemesisContext(runtime, stray), { f: 'kill', value: { nodes: ['n5'] } });
      expect(r.error).toMatch(/no process group ended/);
      expect(procState(leader)).toMatch(/[RS]/);
    });
  });

  it('a target without Killable or Pausable is refused up front', async () => {
    const plain = { ...echoTarget(), kill: undefined, pause: undefined, resume: undefined } as unknown as EchoTarget;
    const plainCtx = nemesisContext(runtime, plain);
    await expect(killNemesis().setup(plainCtx)).rejects.toThrow(UserError);
    await expect(pauseNemesis().setup(plainCtx)).rejects.toThrow(/cannot be paused/);
  });

  it('clock: libc programs under the node environment see bumps, strobes and the reset; the host clock does not move', async () => {
    // A long-running process started under the faketime environment, printing its time.
    const log = path.join(runtime.nodeDir('n1'), 'clock-reader.log');
    await runtime.startDaemon('n1', {
      name: 'clock-reader',
      argv: [
        'perl',
        '-MTime::HiRes=time',
        '-e',
        '$|=1; while (1) { printf "%.3f\\n", time; select(undef, undef, undef, 0.02) }',
      ],
      env: clockEnv({ runtime }, 'n1'),
      logFile: log,
    });
    const readerOffsetMs = async () => {
      await new Promise((r) => setTimeout(r, 150));
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      return Number(lines[lines.length - 1]) * 1000 - Date.now();
    };
    const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(400);
    try {
      const bump = await clock.invoke(ctx, { f: 'bump-clock', value: { deltas: { n1: 5000 } } });
      expect(bump.error).toBeUndefined();
      const value = bump.value as { offsets: Record<string, number>; measured: Record<string, { offsetMs: number }> };
      expect(value.offsets.n1).toBe(5000);
      near(value.measured.n1!.offsetMs, 5000);
      near((await measureOffset(runtime, 'n1')).offsetMs, 5000);
      near(await readerOffsetMs(), 5000);
      near((await measureOffset(runtime, 'n2')).offsetMs, 0);
      // `date +%s` through libc, as the brief asks.
      const dateS = Number((await runtime.exec('n1', ['date', '+%s'], { env: clockEnv({ runtime }, 'n1') })).stdout);
      expect(Math.abs(dateS - Date.now() / 1000 - 5)).toBeLessThan(1.5);

      const back = await clock.invoke(ctx, { f: 'bump-clock', value: { deltas: { n1: -7000 } } });
      near((back.value as { measured: Record<string, { offsetMs: number }> }).measured.n1!.offsetMs, -2000);
      near(await readerOffsetMs(), -2000);

      // Strobe between -2000 and +1000 while sampling: both values are seen, then it settles at -2000.
      const samples: number[] = [];
      let strobing = true;
      const sampler = (async () => {
        while (strobing) samples.push((await measureOffset(runtime, 'n1')).offsetMs);
      })();
      const strobe = await clock.invoke(ctx, {
        f: 'strobe-clock',
        value: { nodes: ['n1'], deltaMs: 3000, periodMs: 100, durationMs: 1500 },
      });
      strobing = false;
      await sampler;
      expect(strobe.error).toBeUndefined();
      expect((strobe.value as { flips: Record<string, number> }).flips.n1).toBeGreaterThanOrEqual(6);
      expect(samples.some((s) => Math.abs(s - -2000) < 400)).toBe(true);
      expect(samples.some((s) => Math.abs(s - 1000) < 400)).toBe(true);
      near((await measureOffset(runtime, 'n1')).offsetMs, -2000);

      const reset = await clock.invoke(ctx, { f: 'reset-clock' });
      expect(reset.error).toBeUndefined();
      for (const n of nodes)
        near((reset.value as { measured: Record<string, { offsetMs: number }> }).measured[n]!.offsetMs, 0);
      near(await readerOffsetMs(), 0);
      expect(readFileSync(offsetFile(runtime, 'n1'), 'utf8').trim()).toBe('+0.000');
    } finally {
      await runtime.stopDaemon('n1', 'clock-reader', 500);
    }
    expect(Math.abs(hostClockSkew() - skewAtStart)).toBeLessThan(1000);
  });

  it('clock: a target that ignores libfaketime gets a plain warning, not fake skew', async () => {
    const goTarget = echoTarget({ ignoresFaketime: 'a Go program reads the clock through the vDSO' });
    const warned: string[] = [];
    const goCtx = {
      ...nemesisContext(runtime, goTarget),
      log: { debug() {}, info() {}, error() {}, warn: (m: string) => warned.push(m) },
    };
    const nem = clockNemesis();
    await nem.setup(goCtx);
    const r = await nem.invoke(goCtx, { f: 'bump-clock', value: { deltas: { n4: 60_000 } } });
    expect(r.value).toMatchObject({ skipped: true });
    expect(String((r.value as { warning: string }).warning)).toMatch(/echo ignores libfaketime .*vDSO.*not applied/);
    expect(nem.warnings?.()).toHaveLength(1);
    expect(warned.length).toBeGreaterThanOrEqual(2);
    expect(Math.abs((await measureOffset(runtime, 'n4')).offsetMs)).toBeLessThan(400);
  });

  it('clock setup writes a zero offset file on every node, so a SUT started afterwards reads offset 0', async () => {
    for (const n of nodes) rmSync(offsetFile(runtime, n), { force: true });
    await clockNemesis().setup(nemesisContext(runtime, target));
    for (const n of nodes) expect(readFileSync(offsetFile(runtime, n), 'utf8')).toBe('+0.000\n');
    expect(Math.abs((await measureOffset(runtime, 'n3')).offsetMs)).toBeLessThan(400);
  });

  it('heal skips a folder whose controller still runs (saying so) unless --force', async () => {
    const stateDir = tempStateDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'nemesis/testing/fault-and-hang.ts', 't5k', stateDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await applied(child);
      const skipped = await runCli(['heal', '--state-dir', stateDir]);
      expect(skipped.code).toBe(0);
      expect(skipped.stdout).toContain(
        `${stateDir}: skipped, its controller (pid ${child.pid}) is still running; stop it, or use --force`,
      );
      expect(await new HealState(stateDir).pending()).toEqual(['clock', 'partition', 'pause']);
      expect((await reachablePairs(runtime)).size).toBeLessThan(allPairs(nodes).size);

      const forced = await runCli(['heal', '--state-dir', stateDir, '--force']);
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/healed partition, pause, clock/);
      expect([...(await reachablePairs(runtime))].sort()).toEqual([...allPairs(nodes)].sort());
    } finally {
      child.kill('SIGKILL');
      await healPartition(runtime, nodes);
      await runtime.signalDaemon('n2', ECHO_DAEMON, 'SIGCONT').catch(() => undefined);
    }
  });

  it('heal carries on past a folder that fails, names it at the end and exits 255 without a stack trace', async () => {
    const healRoot = tempStateDir();
    const broken = path.join(healRoot, 'a-broken');
    const good = path.join(healRoot, 'b-good');
    const record = (cluster: string) => ({
      kind: 'netns',
      options: netnsOptions(cluster) as never,
      nodes: runtime.nodes().map(({ name, address }) => ({ name, address })),
      controllerAddress: runtime.controllerAddress(),
    });
    await new HealState(broken).writeRuntime(record('t5nosuch')); // no such cluster: every command fails
    await new HealState(broken).write('partition', { nodes });
    await new HealState(good).writeRuntime(record('t5k'));
    await new HealState(good).write('partition', { nodes });
    const r = await runCli(['heal', '--root', healRoot]);
    expect(r.code).toBe(255);
    expect(r.stdout).toContain(`${good}: healed partition`);
    expect(r.stderr).toContain(`heal of ${broken} failed: `);
    expect(r.stderr).toContain(`heal failed for 1 of 2 folder(s): ${broken} (their state is kept: run heal again)`);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(await new HealState(broken).pending()).toEqual(['partition']);
    expect(await new HealState(good).pending()).toEqual([]);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`a controller stopped by ${signal} heals every fault before it exits`, async () => {
      const stateDir = tempStateDir();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'nemesis/testing/fault-and-hang.ts', 't5k', stateDir, 'heal-on-signals'],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      try {
        await applied(child);
        const n2pid = (await runtime.daemonPid('n2', ECHO_DAEMON))!;
        expect(procState(n2pid)).toBe('T');
        const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
        child.kill(signal);
        expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
        expect([...(await reachablePairs(runtime))].sort()).toEqual([...allPairs(nodes)].sort());
        for (const n of nodes) expect(await listRules(runtime, n)).not.toContain('FAULTLINE');
        expect(procState(n2pid)).toMatch(/[RS]/);
        expect(Math.abs((await measureOffset(runtime, 'n1')).offsetMs)).toBeLessThan(400);
        expect(await new HealState(stateDir).pending()).toEqual([]);
      } finally {
        child.kill('SIGKILL');
        await healPartition(runtime, nodes);
        await runtime.signalDaemon('n2', ECHO_DAEMON, 'SIGCONT').catch(() => undefined);
      }
    });
  }

  it('after a controller dies by SIGKILL mid-partition, `faultline heal` restores every pair and leaves no rule', async () => {
    const stateDir = tempStateDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'nemesis/testing/fault-and-hang.ts', 't5k', stateDir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await applied(child);
      const n2pid = (await runtime.daemonPid('n2', ECHO_DAEMON))!;
      // The faults are in place...
      expect((await reachablePairs(runtime)).size).toBeLessThan(allPairs(nodes).size);
      expect(procState(n2pid)).toBe('T');
      expect((await measureOffset(runtime, 'n1')).offsetMs).toBeGreaterThan(9000);
      // ...and the controller dies without any chance to heal.
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect((await reachablePairs(runtime)).size).toBeLessThan(allPairs(nodes).size);

      const heal = await runCli(['heal', '--state-dir', stateDir]);
      expect(heal.stderr).not.toMatch(/error/i);
      expect(heal.code).toBe(0);
      expect(heal.stdout).toMatch(/healed partition, pause, clock/);
      expect([...(await reachablePairs(runtime))].sort()).toEqual([...allPairs(nodes)].sort());
      for (const n of nodes) expect(await listRules(runtime, n)).not.toContain('FAULTLINE');
      expect(procState(n2pid)).toMatch(/[RS]/);
      expect(Math.abs((await measureOffset(runtime, 'n1')).offsetMs)).toBeLessThan(400);
      expect(await new HealState(stateDir).pending()).toEqual([]);

      // Idempotent: a second heal finds nothing to do.
      const again = await runCli(['heal', '--state-dir', stateDir]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/nothing to heal/);
    } finally {
      child.kill('SIGKILL');
      // Whatever happened above, leave no fault behind.
      await healPartition(runtime, nodes);
      await runtime.signalDaemon('n2', ECHO_DAEMON, 'SIGCONT').catch(() => undefined);
    }
  });
});

/** Resolves once the fault-and-hang child says its faults are applied; rejects if it exits first. */
function applied(child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('applied') && resolve());
    child.once('exit', (code) => reject(new Error(`fault-and-hang exited ${code}: ${stderr}`)));
  });
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['bin/faultline.js', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
