import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { pidAlive } from '../../process-alive.js';
import { waitUntil } from '../../runtime/contract.js';
import { planLayout } from '../../runtime/netns/layout.js';
import { netnsLeftovers } from '../../runtime/netns/leftovers.js';
import { stateFile } from '../../runtime/netns/state.js';
import { missing } from '../../testing/requirements.js';
import { runClean } from './clean.js';

const STATE_DIR = '/tmp/faultline-test-state-clean';
// Inside the repo so that its imports resolve; removed after the test.
const SCRIPT = '.faultline-clean-test-run.ts';
const needs = missing({ root: true, commands: ['ip'] });

// A faultline run that brings a cluster up, starts a daemon, prints its pid and waits to be killed.
const RUN = `
import { createNetnsRuntime } from './harness/runtime/netns/index.js';
import { silentLogger } from './harness/log.js';
const rt = createNetnsRuntime({ name: 't3k', nodes: 2, subnet: '10.231.1.0/24', stateDir: '${STATE_DIR}', removeNodeDirs: true }, silentLogger);
await rt.up();
const { pid } = await rt.startDaemon('n1', { name: 'sleeper', argv: ['sleep', '1000'] });
console.log('pid ' + pid);
setInterval(() => {}, 1000);
`;

describe.skipIf(needs)('faultline clean', () => {
  afterAll(async () => {
    await runClean({ name: 't3k', force: true, stateDir: STATE_DIR }, silentLogger);
    await rm('/var/lib/faultline/t3k', { recursive: true, force: true });
  });

  it('needs --name or --all, and a plain cluster name (UserError: exit 254)', async () => {
    await expect(runClean({}, silentLogger)).rejects.toThrow(UserError);
    await expect(runClean({}, silentLogger)).rejects.toThrow('--name NAME');
    await expect(runClean({ name: '../etc' }, silentLogger)).rejects.toThrow(/^--name: not a cluster name/);
    await expect(runClean({ all: true, stateDir: '' }, silentLogger)).rejects.toThrow(
      /^--state-dir: expected a directory/,
    );
    await expect(runClean({ all: true, dockerSocket: '' }, silentLogger)).rejects.toThrow(
      /^--docker-socket: expected a socket path/,
    );
  });

  it('the CLI takes the state directory and docker socket from --state-dir and --docker-socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-clean-'));
    // A fake docker daemon: it only notes that clean connected to it.
    let connections = 0;
    const fakeDocker = createServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    const socket = join(dir, 'docker.sock');
    await new Promise<void>((resolve) => fakeDocker.listen(socket, resolve));
    try {
      // The state file of a run that died (its owner pid is gone) and left no namespaces.
      const layout = planLayout({ name: 't3q', nodes: 1, stateDir: join(dir, 'state') });
      const deadPid = spawnSync('true').pid;
      await mkdir(layout.stateDir);
      await writeFile(
        stateFile(layout.stateDir, 't3q'),
        JSON.stringify({ kind: 'netns', layout, ownerPid: deadPid, createdAt: '' }),
      );
      const run = await execa(
        'node',
        ['bin/faultline.js', 'clean', '--name', 't3q', '--state-dir', layout.stateDir, '--docker-socket', socket],
        {
          reject: false,
        },
      );
      expect(run).toMatchObject({ exitCode: 0, stdout: 'removed netns cluster t3q: namespaces t3q-hub t3q-n1' });
      expect(existsSync(stateFile(layout.stateDir, 't3q'))).toBe(false);
      expect(connections).toBeGreaterThan(0);
    } finally {
      await new Promise((resolve) => fakeDocker.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('removes what a SIGKILLed run left, and leaves a live run alone without --force', async () => {
    await writeFile(SCRIPT, RUN);
    const child = spawn('npx', ['tsx', SCRIPT], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      await waitUntil('the run to start its daemon', async () => /pid \d+/.test(out), 30_000);
      const daemonPid = Number(/pid (\d+)/.exec(out)![1]);
      const state = JSON.parse(await readFile(stateFile(STATE_DIR, 't3k'), 'utf8')) as { ownerPid: number };

      // While the run lives, clean leaves it alone.
      const whileAlive = await runClean({ all: true, stateDir: STATE_DIR }, silentLogger);
      expect(whileAlive.skipped.join('\n')).toContain(`t3k: in use by running pid ${state.ownerPid}`);
      expect(await netnsLeftovers('t3k', undefined, STATE_DIR)).not.toEqual([]);

      process.kill(state.ownerPid, 'SIGKILL');
      await waitUntil('the run to die', async () => !pidAlive(state.ownerPid));
      expect(pidAlive(daemonPid)).toBe(true); // the killed run left its daemon behind

      const report = await runClean({ all: true, stateDir: STATE_DIR }, silentLogger);
      expect(report.removed.join('\n')).toContain('netns cluster t3k');
      expect(await netnsLeftovers('t3k', undefined, STATE_DIR)).toEqual([]);
      await waitUntil('the orphaned daemon to be gone', async () => !pidAlive(daemonPid));
    } finally {
      child.kill('SIGKILL');
      await rm(SCRIPT, { force: true });
    }
  });
});
