import Docker from 'dockerode';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { dockerdMissing, splitRule, startDockerd } from './dockerd.js';

describe('splitRule', () => {
  it('splits iptables -S lines, keeping quoted comments whole', () => {
    expect(splitRule('-A FORWARD -i docker0 ! -o docker0 -j ACCEPT')).toEqual([
      '-A',
      'FORWARD',
      '-i',
      'docker0',
      '!',
      '-o',
      'docker0',
      '-j',
      'ACCEPT',
    ]);
    expect(splitRule('-A INPUT -m comment --comment "a \\"b\\" c" -j DROP')).toEqual([
      '-A',
      'INPUT',
      '-m',
      'comment',
      '--comment',
      'a "b" c',
      '-j',
      'DROP',
    ]);
  });
});

const firewall = async () => {
  const out: string[] = [];
  for (const table of ['filter', 'nat']) out.push((await execa('iptables', ['-w', '-t', table, '-S'])).stdout);
  return out.join('\n');
};

describe.skipIf(dockerdMissing())('startDockerd', () => {
  it('gives a daemon that answers; holds are shared; the last stop restores the host as it was', async () => {
    const before = await firewall();
    const first = await startDockerd();
    const second = await startDockerd();
    expect(second.started).toBe(false);
    expect(await new Docker({ socketPath: first.socketPath }).ping()).toBeTruthy();
    await first.stop();
    // Still held by `second`.
    expect(await new Docker({ socketPath: first.socketPath }).ping()).toBeTruthy();
    await second.stop();
    await second.stop(); // idempotent
    if (first.started) {
      await expect(new Docker({ socketPath: first.socketPath, timeout: 2000 }).ping()).rejects.toThrow();
      expect(await firewall()).toBe(before);
      expect((await execa('ip', ['link', 'show', 'docker0'], { reject: false })).exitCode).not.toBe(0);
    } else {
      console.warn('a dockerd faultline did not start was already running: it was left running, as it should');
    }
  });
});
