/**
 * The contract every runtime passes (netns, docker, ssh). Call it at the top
 * level of a runtime's test file:
 *
 *   runtimeContract('netns', async () => createNetnsRuntime({ name: 't3c', nodes: 3, subnet: '10.231.1.0/24' }, silentLogger), {
 *     leftovers: (marker) => netnsLeftovers('t3c', marker),
 *   });
 *
 * It brings the runtime up once (beforeAll), runs the checks in order, brings
 * it down as its last check and verifies nothing is left, and calls `down`
 * again in afterAll in case a check failed early. The runtime needs at least 3
 * nodes; on every node: sh, bash (/dev/tcp), perl (perl-base: the TCP
 * listener), sed, grep, setsid, cat, iptables, and /proc.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_NODE_NEEDS } from '../testing/node-needs.js';
import type { NodeInfo, Runtime } from './runtime.js';
import { RuntimeCommandError } from './runtime.js';

export interface RuntimeContractOptions {
  /**
   * Called after `down` with the marker string that every process the suite
   * started carries in its command line. Resolves with a description of each
   * thing the runtime left behind (namespaces, links, containers, mounts,
   * processes carrying the marker, state files); [] when clean.
   */
  leftovers: (marker: string) => Promise<string[]>;
  /** TCP port of the test listeners on each node (default 17321). */
  tcpPort?: number;
}

/** Polls until check() resolves true; throws after timeoutMs (a bounded wait, not a timing assertion). */
export async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// Prints this node's name to every connection: perl-base is on every Debian.
const LISTENER =
  'use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => "0.0.0.0", LocalPort => $ARGV[0], Listen => 64, ReuseAddr => 1) or die "listen: $!"; while (my $c = $s->accept) { print $c "$ARGV[1]\\n"; close $c }';
// Connects with bash's /dev/tcp and prints the first line the server sends.
const CONNECT = 'exec 3<>"/dev/tcp/$1/$2" || exit 7; IFS= read -r line <&3 || exit 8; printf "%s\\n" "$line"';

export function runtimeContract(
  label: string,
  makeRuntime: () => Promise<Runtime>,
  options: RuntimeContractOptions,
): void {
  const marker = `faultline-contract-${label.replace(/[^A-Za-z0-9]/g, '')}-${process.pid}`;
  const port = options.tcpPort ?? 17321;

  describe(`runtime contract: ${label}`, () => {
    let rt: Runtime;
    let nodes: readonly NodeInfo[];
    let localDir: string;
    const name = (i: number) => nodes[i]!.name;
    // A daemon whose shell carries the marker as $0; it logs its environment first.
    const sleeper = (env = 'x') => ({
      argv: ['sh', '-c', 'echo "started with $CONTRACT_ENV"; trap "" HUP; while :; do sleep 1; done', marker],
      env: { CONTRACT_ENV: env },
    });
    const procState = async (node: string, pid: number) => {
      const r = await rt.exec(node, ['cat', `/proc/${pid}/stat`], { check: false });
      return r.exitCode === 0 ? r.stdout.slice(r.stdout.lastIndexOf(')') + 2, r.stdout.lastIndexOf(')') + 3) : 'gone';
    };
    const connect = (from: string, to: NodeInfo, timeoutMs = 5_000) =>
      rt.exec(from, ['bash', '-c', CONNECT, 'bash', to.address, String(port)], { check: false, timeoutMs });

    beforeAll(async () => {
      localDir = await mkdtemp(path.join(os.tmpdir(), 'faultline-contract-'));
      rt = await makeRuntime();
      nodes = await rt.up(TEST_NODE_NEEDS);
    });
    afterAll(async () => {
      try {
        await rt?.down();
      } finally {
        if (localDir) await rm(localDir, { recursive: true, force: true });
      }
    });

    it('brings up at least 3 nodes with distinct names, addresses and directories', () => {
      expect(nodes.length).toBeGreaterThanOrEqual(3);
      expect(rt.nodes()).toEqual(nodes);
      expect(new Set(nodes.map((n) => n.name)).size).toBe(nodes.length);
      expect(new Set(nodes.map((n) => n.address)).size).toBe(nodes.length);
      expect(new Set(nodes.map((n) => rt.nodeDir(n.name))).size).toBe(nodes.length);
      expect(rt.node(name(0))).toEqual(nodes[0]);
      expect(rt.controllerAddress()).toMatch(/\S/);
    });

    it('exec passes argv verbatim and separates stdout from stderr', async () => {
      const args = ['a b', "it's", '$HOME', '"q"', '*', ''];
      const r = await rt.exec(name(0), ['sh', '-c', 'printf "%s|" "$@"; echo oops >&2', 'sh', ...args]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(`${args.join('|')}|`);
      expect(r.stderr).toBe('oops\n');
      expect(r.timedOut).toBe(false);
    });

    it('exec reports exit codes, and throws RuntimeCommandError unless check is false', async () => {
      const r = await rt.exec(name(1), ['sh', '-c', 'echo bad >&2; exit 3'], { check: false });
      expect(r.exitCode).toBe(3);
      const err = await rt.exec(name(1), ['sh', '-c', 'echo bad >&2; exit 3']).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RuntimeCommandError);
      const e = err as RuntimeCommandError;
      expect([e.node, e.exitCode, e.stderr.trim(), e.timedOut]).toEqual([name(1), 3, 'bad', false]);
      expect(e.argv[0]).toBe('sh');
    });

    it('exec passes stdin, env and cwd', async () => {
      const r = await rt.exec(name(0), ['sh', '-c', 'cat; echo "[$GREETING]"; pwd'], {
        stdin: 'from stdin\n',
        env: { GREETING: 'hello world' },
        cwd: '/tmp',
      });
      expect(r.stdout).toBe('from stdin\n[hello world]\n/tmp\n');
    });

    it('exec kills a command and its children at its timeout', async () => {
      // The token is in the command lines of the shell and of its child perl.
      const token = `${marker}-timeout`;
      const slow = ['sh', '-c', 'perl -e "sleep 60" "$0"; echo never', token];
      const r = await rt.exec(name(0), slow, { timeoutMs: 500, check: false });
      expect(r.timedOut).toBe(true);
      expect(r.stdout).toBe('');
      const err = await rt.exec(name(0), slow, { timeoutMs: 500 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RuntimeCommandError);
      expect((err as RuntimeCommandError).timedOut).toBe(true);
      // The processes are gone, not just our wait for them. The token comes on
      // stdin so that grep's own command line does not match it.
      await waitUntil('the timed-out processes to go', async () => {
        const left = await rt.exec(name(0), ['sh', '-c', 'grep -lFf - /proc/[0-9]*/cmdline 2>/dev/null | wc -l'], {
          stdin: token,
          check: false,
        });
        return left.stdout.trim() === '0';
      });
    });

    it('starts a daemon that outlives the call, with its environment and log file', async () => {
      const { pid } = await rt.startDaemon(name(0), { name: 'sleeper', ...sleeper('env-ok') });
      expect(pid).toBeGreaterThan(0);
      expect(await rt.daemonRunning(name(0), 'sleeper')).toBe(true);
      expect(await rt.daemonPid(name(0), 'sleeper')).toBe(pid);
      const cmdline = await rt.exec(name(0), ['cat', `/proc/${pid}/cmdline`]);
      expect(cmdline.stdout).toContain(marker);
      const log = `${rt.nodeDir(name(0))}/sleeper.log`;
      await waitUntil('the daemon log', async () =>
        (await rt.exec(name(0), ['cat', log], { check: false })).stdout.includes('started with env-ok'),
      );
      await expect(rt.startDaemon(name(0), { name: 'sleeper', ...sleeper() })).rejects.toThrow(/already running/);
    });

    it('pauses a daemon with SIGSTOP (state T, still running) and resumes it with SIGCONT', async () => {
      const pid = (await rt.daemonPid(name(0), 'sleeper'))!;
      await rt.signalDaemon(name(0), 'sleeper', 'SIGSTOP');
      await waitUntil('state T', async () => (await procState(name(0), pid)) === 'T');
      expect(await rt.daemonRunning(name(0), 'sleeper')).toBe(true);
      await rt.signalDaemon(name(0), 'sleeper', 'SIGCONT');
      await waitUntil('state S or R', async () => ['S', 'R'].includes(await procState(name(0), pid)));
    });

    it('kills a daemon with SIGKILL and starts it again', async () => {
      const before = (await rt.daemonPid(name(0), 'sleeper'))!;
      await rt.signalDaemon(name(0), 'sleeper', 'SIGKILL');
      await waitUntil('the daemon to die', async () => !(await rt.daemonRunning(name(0), 'sleeper')));
      expect(await rt.daemonPid(name(0), 'sleeper')).toBeUndefined();
      await expect(rt.signalDaemon(name(0), 'sleeper', 'SIGTERM')).rejects.toThrow(RuntimeCommandError);
      const { pid } = await rt.startDaemon(name(0), { name: 'sleeper', ...sleeper() });
      expect(pid).not.toBe(before);
      expect(await rt.daemonRunning(name(0), 'sleeper')).toBe(true);
    });

    it('stops a paused daemon, and one that ignores SIGTERM; stopping a stopped daemon is a no-op', async () => {
      await rt.signalDaemon(name(0), 'sleeper', 'SIGSTOP');
      await rt.stopDaemon(name(0), 'sleeper', 5_000);
      expect(await rt.daemonRunning(name(0), 'sleeper')).toBe(false);
      await rt.stopDaemon(name(0), 'sleeper');

      const stubborn = ['sh', '-c', 'trap "" TERM; while :; do sleep 1; done', marker];
      const { pid } = await rt.startDaemon(name(1), { name: 'stubborn', argv: stubborn });
      await rt.stopDaemon(name(1), 'stubborn', 300);
      expect(await rt.daemonRunning(name(1), 'stubborn')).toBe(false);
      expect(await procState(name(1), pid)).toMatch(/^(gone|Z)$/);
    });

    it('copies files both ways, byte for byte', async () => {
      const content = randomBytes(200_000);
      const local = path.join(localDir, 'up.bin');
      await writeFile(local, content);
      const remote = `${rt.nodeDir(name(2))}/copied/deeper/file.bin`;
      await rt.copyTo(name(2), local, remote);
      const size = await rt.exec(name(2), ['sh', '-c', 'wc -c < "$1"', 'sh', remote]);
      expect(Number(size.stdout.trim())).toBe(content.length);
      const back = path.join(localDir, 'back', 'file.bin');
      await rt.copyFrom(name(2), remote, back);
      expect((await readFile(back)).equals(content)).toBe(true);
    });

    it('nodes reach each other and the controller reaches every node over TCP', async () => {
      for (const n of nodes) {
        await rt.startDaemon(n.name, {
          name: 'listener',
          argv: ['perl', '-e', LISTENER, String(port), n.name, marker],
        });
      }
      for (const n of nodes) {
        await waitUntil(`the listener on ${n.name}`, async () => (await connect(n.name, n, 2_000)).exitCode === 0);
      }
      for (const from of nodes) {
        for (const to of nodes) {
          const r = await connect(from.name, to);
          expect({ from: from.name, to: to.name, out: r.stdout.trim() }).toEqual({
            from: from.name,
            to: to.name,
            out: to.name,
          });
        }
      }
      for (const n of nodes) expect(await readLineFrom(n.address, port)).toBe(n.name);
    });

    it('a DROP rule in one node’s firewall blocks only traffic to that node', async () => {
      const [a, b, c] = [nodes[0]!, nodes[1]!, nodes[2]!];
      const rule = ['INPUT', '-s', b.address, '-p', 'tcp', '--dport', String(port), '-j', 'DROP'];
      await rt.exec(a.name, ['iptables', '-w', '-A', ...rule]);
      try {
        expect((await rt.exec(a.name, ['iptables', '-w', '-S', 'INPUT'])).stdout).toContain(`-s ${b.address}/32`);
        const blocked = await connect(b.name, a, 1_500);
        expect(blocked.exitCode === 0 && !blocked.timedOut).toBe(false);
        expect((await connect(b.name, c)).stdout.trim()).toBe(c.name);
        expect((await connect(c.name, a)).stdout.trim()).toBe(a.name);
        // Only a's firewall has the rule.
        for (const other of [b, c])
          expect((await rt.exec(other.name, ['iptables', '-w', '-S', 'INPUT'])).stdout).not.toContain(b.address);
      } finally {
        await rt.exec(a.name, ['iptables', '-w', '-D', ...rule], { check: false });
      }
      expect((await connect(b.name, a)).stdout.trim()).toBe(a.name);
    });

    it('down removes everything, and is idempotent', async () => {
      await rt.down();
      expect(await options.leftovers(marker)).toEqual([]);
      await rt.down();
    });
  });
}

/** Reads one line from address:port from the controller (bounded by a 5 s timeout). */
function readLineFrom(address: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = net.connect({ host: address, port, timeout: 5_000 });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data.split('\n')[0] ?? ''));
    socket.on('timeout', () => socket.destroy(new Error(`timed out reading from ${address}:${port}`)));
    socket.on('error', reject);
  });
}
