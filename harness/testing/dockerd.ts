/**
 * A docker daemon for tests: uses the one that runs, or starts apt's `dockerd`
 * (docker.io) when none does, and stops exactly what it started.
 *
 * Several test processes (ours and other suites) may want dockerd at once, so
 * the daemon is shared and reference-counted across processes under
 * /run/faultline/dockerd/: each holder has a file in `users/`; the daemon
 * faultline started is recorded in `owner.json`; the last holder to release it
 * stops that daemon and undoes what dockerd did to the host (its iptables
 * chains and rules, the FORWARD policy it set to DROP, the docker0 bridge,
 * ip_forward). The br_netfilter module dockerd loads stays loaded.
 * A dockerd that was running before faultline touched it is never stopped.
 *
 * What works on this machine (Debian 12, docker.io 20.10, kernel 6.x in a VM):
 * the default overlay2 storage driver and the nft iptables backend. If dockerd
 * fails to start with the default driver we retry once with
 * `--storage-driver=vfs` (the usual fix inside containers without overlayfs).
 */

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Docker from 'dockerode';
import { execa } from 'execa';
import { pidAlive } from '../process-alive.js';
import { hasCommand, isRoot } from './requirements.js';

export const DOCKER_SOCKET = '/var/run/docker.sock';
const STATE_DIR = '/run/faultline/dockerd';
const USERS_DIR = join(STATE_DIR, 'users');
const OWNER_FILE = join(STATE_DIR, 'owner.json');
const LOCK_FILE = join(STATE_DIR, 'lock');
const LOG_FILE = join(STATE_DIR, 'dockerd.log');
const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

export interface DockerdHandle {
  /** True when this call started dockerd; false when one was already running. */
  readonly started: boolean;
  readonly socketPath: string;
  /**
   * Releases this hold. When it was the last hold on a dockerd that faultline
   * started, stops that dockerd and restores the host's firewall and links.
   * Idempotent; never stops a dockerd faultline did not start.
   */
  stop(): Promise<void>;
}

/** What the host looked like before faultline's dockerd changed it. */
interface HostSnapshot {
  /** `iptables -t <table> -S` lines per table. */
  rules: Record<string, string[]>;
  forwardPolicy: string;
  hadDocker0: boolean;
  /** net.ipv4.ip_forward ('0' or '1'): dockerd turns it on (and then sets FORWARD to DROP). */
  ipForward: string;
}

interface OwnerRecord {
  pid: number;
  before: HostSnapshot;
}

const TABLES = ['filter', 'nat'] as const;

/**
 * Returns why dockerd cannot be used here (for `describe.skipIf`), or undefined
 * when it can: needs root and the `dockerd` and `iptables` commands.
 * In CI a missing requirement throws instead of skipping.
 */
export function dockerdMissing(): string | undefined {
  const reasons: string[] = [];
  if (!isRoot()) reasons.push('needs root');
  for (const c of ['dockerd', 'iptables', 'ip']) if (!hasCommand(c)) reasons.push(`needs \`${c}\` (apt)`);
  if (reasons.length === 0) return undefined;
  const reason = reasons.join(', ');
  if (process.env.CI === 'true') throw new Error(`CI must run every test, but: ${reason}`);
  console.warn(`skipping: ${reason}`);
  return reason;
}

/**
 * Makes sure a docker daemon answers on the default socket and takes a hold on
 * it. Returns a handle whose `stop()` releases the hold. Throws when dockerd
 * could not be started (the message carries the tail of dockerd's log).
 */
export async function startDockerd(options: { timeoutMs?: number } = {}): Promise<DockerdHandle> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  await mkdir(USERS_DIR, { recursive: true });
  const token = `${process.pid}-${randomUUID()}`;
  let started = false;
  await withLock(async () => {
    await writeFile(join(USERS_DIR, token), String(process.pid));
    if (await dockerAnswers()) return;
    const before = await snapshotHost();
    started = true;
    try {
      await launch([], before, timeoutMs);
    } catch (first) {
      const log = await logTail();
      try {
        await launch(['--storage-driver=vfs'], before, timeoutMs);
      } catch (second) {
        await rm(join(USERS_DIR, token), { force: true });
        throw new Error(
          `dockerd did not start (default storage driver, then vfs). Log tail:\n${log}\n---\n${await logTail()}`,
          { cause: new AggregateError([first, second]) },
        );
      }
    }
  });

  let stopped = false;
  return {
    started,
    socketPath: DOCKER_SOCKET,
    async stop() {
      if (stopped) return;
      stopped = true;
      await withLock(async () => {
        await rm(join(USERS_DIR, token), { force: true });
        if ((await liveUsers()).length > 0) return;
        const owner = await readOwner();
        if (!owner) return;
        await stopOwned(owner);
      });
    },
  };
}

/** Starts dockerd with extra flags and waits for it to answer; cleans up if it does not. */
async function launch(extraArgs: string[], before: HostSnapshot, timeoutMs: number): Promise<void> {
  const logFd = openSync(LOG_FILE, 'w');
  // Detached: dockerd is shared between test processes and must not die with
  // the one that happened to start it; the last holder stops it.
  const child = spawn('dockerd', extraArgs, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('dockerd: spawn returned no pid');
  const owner: OwnerRecord = { pid, before };
  await writeFile(OWNER_FILE, JSON.stringify(owner));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) break;
    if (await dockerAnswers()) return;
    await sleep(200);
  }
  await stopOwned(owner);
  throw new Error(`dockerd ${extraArgs.join(' ')} did not answer on ${DOCKER_SOCKET} within ${timeoutMs} ms`);
}

/** Stops the dockerd faultline started and restores the host; removes owner.json. */
async function stopOwned(owner: OwnerRecord): Promise<void> {
  if (pidAlive(owner.pid) && (await isDockerd(owner.pid))) {
    process.kill(owner.pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (pidAlive(owner.pid) && Date.now() < deadline) await sleep(100);
    if (pidAlive(owner.pid)) process.kill(owner.pid, 'SIGKILL');
    while (pidAlive(owner.pid)) await sleep(50);
  }
  await restoreHost(owner.before);
  await rm(OWNER_FILE, { force: true });
}

async function dockerAnswers(): Promise<boolean> {
  if (!existsSync(DOCKER_SOCKET)) return false;
  try {
    const docker = new Docker({ socketPath: DOCKER_SOCKET, timeout: 2000 });
    await docker.ping();
    return true;
  } catch {
    return false;
  }
}

async function snapshotHost(): Promise<HostSnapshot> {
  const rules: Record<string, string[]> = {};
  for (const table of TABLES) rules[table] = await iptablesRules(table);
  const policy = (rules.filter ?? []).find((l) => l.startsWith('-P FORWARD '));
  const hadDocker0 = (await execa('ip', ['link', 'show', 'docker0'], { reject: false })).exitCode === 0;
  const ipForward = (await readFile(IP_FORWARD, 'utf8').catch(() => '1')).trim();
  return { rules, forwardPolicy: policy?.split(' ')[2] ?? 'ACCEPT', hadDocker0, ipForward };
}

async function iptablesRules(table: string): Promise<string[]> {
  const { stdout } = await execa('iptables', ['-w', '-t', table, '-S']);
  return stdout.split('\n').filter((l) => l.length > 0);
}

/**
 * Undoes what dockerd added to the host since `before`: rules that mention a
 * DOCKER chain or a docker bridge (docker0, br-<id>), then the DOCKER* chains,
 * the FORWARD policy, and the docker0 bridge. Rules others added meanwhile
 * (e.g. a netns test running at the same time) are left alone.
 */
async function restoreHost(before: HostSnapshot): Promise<void> {
  const dockerish = /DOCKER|docker0|br-[0-9a-f]{12}/;
  for (const table of TABLES) {
    const had = new Set(before.rules[table] ?? []);
    const now = await iptablesRules(table);
    for (const line of now) {
      if (!line.startsWith('-A ') || had.has(line) || !dockerish.test(line)) continue;
      const args = splitRule(line);
      args[0] = '-D';
      await execa('iptables', ['-w', '-t', table, ...args], { reject: false });
    }
    const newChains = now
      .filter((l) => l.startsWith('-N ') && !had.has(l))
      .map((l) => l.slice(3))
      .filter((chain) => chain.startsWith('DOCKER'));
    for (const chain of newChains) await execa('iptables', ['-w', '-t', table, '-F', chain], { reject: false });
    for (const chain of newChains) await execa('iptables', ['-w', '-t', table, '-X', chain], { reject: false });
  }
  await execa('iptables', ['-w', '-P', 'FORWARD', before.forwardPolicy], { reject: false });
  if (!before.hadDocker0) await execa('ip', ['link', 'del', 'docker0'], { reject: false });
  if (before.ipForward === '0') await writeFile(IP_FORWARD, '0').catch(() => undefined);
}

/** Splits an `iptables -S` line into arguments, honouring double quotes. */
export function splitRule(line: string): string[] {
  const args: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of line.matchAll(re)) args.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? ''));
  return args;
}

async function readOwner(): Promise<OwnerRecord | undefined> {
  try {
    return JSON.parse(await readFile(OWNER_FILE, 'utf8')) as OwnerRecord;
  } catch {
    return undefined;
  }
}

/** Holders whose process still lives; files of dead processes are removed. */
async function liveUsers(): Promise<string[]> {
  const live: string[] = [];
  for (const name of await readdir(USERS_DIR)) {
    const pid = Number((await readFile(join(USERS_DIR, name), 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) live.push(name);
    else await rm(join(USERS_DIR, name), { force: true });
  }
  return live;
}

async function isDockerd(pid: number): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.split('\0')[0]?.endsWith('dockerd') ?? false;
}

async function logTail(): Promise<string> {
  const text = await readFile(LOG_FILE, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-15).join('\n');
}

/** Runs `fn` holding a cross-process lock file (stale locks of dead processes are broken). */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await writeFile(LOCK_FILE, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(LOCK_FILE, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && !pidAlive(holder)) {
        await rm(LOCK_FILE, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_FILE} (held by pid ${holder})`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(LOCK_FILE, { force: true });
  }
}
