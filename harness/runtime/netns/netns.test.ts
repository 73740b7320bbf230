import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { pidAlive } from '../../process-alive.js';
import { missing } from '../../testing/requirements.js';
import { runtimeContract } from '../contract.js';
import { cleanNetns, createNetnsRuntime } from './index.js';
import { hostLinkName } from './layout.js';
import { hostRulesMentioning, netnsLeftovers } from './leftovers.js';
import { listNamespaces } from './network.js';
import { runLocal } from './run-local.js';
import { readState } from './state.js';

const STATE_DIR = '/tmp/faultline-test-state-t3';
const needs = missing({ root: true, commands: ['ip', 'iptables', 'perl', 'bash', 'setsid'] });

describe.skipIf(needs)('netns runtime', () => {
  runtimeContract(
    'netns',
    async () =>
      createNetnsRuntime(
        { name: 't3c', nodes: 3, subnet: '10.231.1.0/24', stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      ),
    { leftovers: (marker) => netnsLeftovers('t3c', marker, STATE_DIR) },
  );

  describe('lifecycle', () => {
    afterAll(async () => {
      await cleanNetns({ name: 't3l', force: true, stateDir: STATE_DIR }, silentLogger);
      await cleanNetns({ name: 't3m', force: true, stateDir: STATE_DIR }, silentLogger);
    });

    it('leaves the host firewall and forwarding untouched', async () => {
      // Other suites (docker) may change the host's rules meanwhile: look for ours, not for equality.
      const ours = ['10.231.1.', hostLinkName('t3l'), 't3l'];
      const policyAndForwarding = async () =>
        `${(await runLocal(['iptables', '-w', '-S', 'FORWARD'])).stdout.split('\n')[0]} ${await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')}`;
      const before = await policyAndForwarding();
      const rt = createNetnsRuntime(
        { name: 't3l', nodes: 2, subnet: '10.231.1.0/24', stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      );
      await rt.up();
      await rt.exec('n1', ['iptables', '-w', '-A', 'INPUT', '-s', '10.231.1.3', '-j', 'DROP']);
      expect((await rt.exec('n1', ['iptables-save'])).stdout).toContain('10.231.1.3');
      expect(await hostRulesMentioning(ours)).toEqual([]);
      expect(await policyAndForwarding()).toBe(before);
      await rt.down();
      expect(await hostRulesMentioning(ours)).toEqual([]);
      expect(await policyAndForwarding()).toBe(before);
    });

    it('up clears stale leftovers of its own name, and clean removes what a killed run left', async () => {
      const first = createNetnsRuntime(
        { name: 't3l', nodes: 2, subnet: '10.231.1.0/24', stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      );
      await first.up();
      await first.startDaemon('n1', { name: 'orphan', argv: ['sleep', '1000'] });
      // A second run of the same name (as after a crash) starts from a clean slate.
      const second = createNetnsRuntime(
        { name: 't3l', nodes: 3, subnet: '10.231.1.0/24', stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      );
      expect((await second.up()).map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
      expect(await second.daemonRunning('n1', 'orphan')).toBe(false);
      expect(await readState(STATE_DIR, 't3l')).toBeDefined();
      // Simulate a killed run: nothing calls down; clean finds it by the state file.
      const report = await cleanNetns({ all: true, stateDir: STATE_DIR }, silentLogger);
      expect(report.removed.join('\n')).toContain('t3l');
      expect(await netnsLeftovers('t3l', undefined, STATE_DIR)).toEqual([]);
      expect(existsSync('/var/lib/faultline/t3l')).toBe(false); // removeNodeDirs was recorded in the state
    });

    it('down kills every process in the namespaces, paused ones too', async () => {
      const rt = createNetnsRuntime(
        { name: 't3l', nodes: 2, subnet: '10.231.1.0/24', stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      );
      await rt.up();
      const { pid } = await rt.startDaemon('n2', { name: 'paused', argv: ['sleep', '1000'] });
      await rt.signalDaemon('n2', 'paused', 'SIGSTOP');
      // A process started without the daemon helper, in its own session, is found too.
      const stray = await rt.exec('n1', ['sh', '-c', 'setsid sleep 1000 >/dev/null 2>&1 </dev/null & echo $!']);
      await rt.down();
      for (const p of [pid, Number(stray.stdout.trim())]) expect(pidAlive(p)).toBe(false);
      expect(await netnsLeftovers('t3l', undefined, STATE_DIR)).toEqual([]);
    });

    it('clean --name removes namespaces with the prefix even without a state file', async () => {
      await runLocal(['ip', 'netns', 'add', 't3m-n1']);
      await runLocal(['ip', 'netns', 'add', 't3m-hub']);
      const report = await cleanNetns({ name: 't3m', stateDir: STATE_DIR }, silentLogger);
      expect(report.removed).toHaveLength(1);
      expect((await listNamespaces()).filter((ns) => ns.startsWith('t3m-'))).toEqual([]);
    });

    it('refuses a subnet that the host already uses', async () => {
      const hostAddr = (await runLocal(['ip', '-4', '-o', 'addr', 'show', 'scope', 'global'])).stdout.match(
        /inet (\d+\.\d+\.\d+)\.\d+\/(\d+)/,
      );
      if (!hostAddr) return; // no global IPv4 address on this host: nothing to collide with
      const rt = createNetnsRuntime(
        { name: 't3m', nodes: 2, subnet: `${hostAddr[1]}.0/24`, stateDir: STATE_DIR, removeNodeDirs: true },
        silentLogger,
      );
      await expect(rt.up()).rejects.toThrow(UserError);
      expect(await netnsLeftovers('t3m', undefined, STATE_DIR)).toEqual([]);
    });
  });
});
