/**
 * The command line itself, through bin/faultline.js: --version, --help with
 * defaults and examples, and flags that no command or target has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { undeclaredFlags } from './target-flags.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const cli = (...args: string[]) => execa('node', ['bin/faultline.js', ...args], { cwd: ROOT, reject: false });

describe('the faultline command line', () => {
  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await cli('--version');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(version);
  });

  it('--help lists the commands with examples; a command’s help shows defaults and examples', async () => {
    const top = await cli('--help');
    expect(top.exitCode).toBe(0);
    for (const command of ['test', 'check', 'analyze', 'serve', 'heal', 'clean']) {
      expect(top.stdout).toMatch(new RegExp(`faultline ${command}\\b`));
    }
    expect(top.stdout).toMatch(/Examples:\n\s+faultline test --target etcd/);
    const test = await cli('test', '--help');
    expect(test.stdout).toMatch(/--time-limit\s+seconds of workload \(default 60\)/);
    expect(test.stdout).toMatch(/--read-mode\s+etcd: [\s\S]*?\(default\s+linearizable\)/);
    expect(test.stdout).toMatch(/--client\s+process: command that starts one client\s+adapter/);
    expect(test.stdout).toMatch(/Examples:\n\s+faultline test --target etcd/);
  });

  it('an unknown command: 254 with the usage', async () => {
    const r = await cli('tset');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toMatch(/faultline: Unknown argument: tset/);
  });

  it('faultline test with a flag neither it nor the target has: 254 naming the flag, before any node', async () => {
    const r = await cli('test', '--target', 'etcd', '--time-limt', '5');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toBe(
      'faultline: --time-limt: unknown option (not an option of faultline test, nor of target etcd)',
    );
    const extra = await cli('test', 'now');
    expect(extra.exitCode).toBe(254);
    expect(extra.stderr).toBe('faultline: unexpected argument "now" (test takes only options)');
  });
});

describe('undeclared flags', () => {
  it('are the camelCase keys the command does not declare, as text', () => {
    const args = {
      _: ['test'],
      $0: 'faultline',
      target: 'x',
      'time-limit': '5',
      timeLimit: '5',
      'queue-size': 3,
      queueSize: 3,
      fast: true,
    };
    expect(undeclaredFlags(args, ['target', 'time-limit'])).toEqual({ queueSize: '3', fast: 'true' });
  });
});
