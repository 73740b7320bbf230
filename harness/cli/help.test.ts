/** `faultline test --help`: flags grouped as a Jepsen user looks for them, numbers typed, aliases shown. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');

function help(command: string): string {
  const r = spawnSync(process.execPath, [BIN, command, '--help'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The flags listed under `group` (up to the next blank line). */
function flagsIn(text: string, group: string): string[] {
  const start = text.indexOf(`\n${group}\n`);
  expect(start, `group ${group}`).toBeGreaterThanOrEqual(0);
  const body = text.slice(start + group.length + 2).split('\n\n')[0]!;
  return [...body.matchAll(/^ {2}(--[\w-]+(?:, --[\w-]+)?)/gm)].map((m) => m[1]!);
}

describe('faultline test --help', () => {
  it('groups the flags: run, cluster, faults, checking, results and CI, in that order', () => {
    const text = help('test');
    const groups = ['Run:', 'Cluster:', 'Faults:', 'Checking:', 'Results and CI:'];
    const at = groups.map((g) => text.indexOf(`\n${g}\n`));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(flagsIn(text, 'Run:')).toEqual(expect.arrayContaining(['--time-limit', '--concurrency', '--test-count']));
    expect(flagsIn(text, 'Cluster:')).toEqual([
      '--runtime',
      '--nodes',
      '--nodes-file',
      '--cluster',
      '--subnet',
      '--ssh-user, --username',
      '--ssh-key, --ssh-private-key',
      '--leave-db-running',
    ]);
    expect(flagsIn(text, 'Faults:')).toEqual(['--nemesis', '--nemesis-interval']);
    expect(flagsIn(text, 'Checking:')).toEqual(['--check-timeout', '--consistency-models']);
    expect(flagsIn(text, 'Results and CI:')).toEqual(['--results-dir', '--keep', '--junit']);
    expect(text).toMatch(/--time-limit +seconds of workload \(default 60\) +\[number\]/);
    expect(text).toMatch(/\nExamples:\n {2}faultline test /);
  });

  it('suite and repro have their groups and an example', () => {
    for (const command of ['suite', 'repro']) {
      const text = help(command);
      expect(flagsIn(text, 'Results and CI:')).toEqual(['--results-dir', '--keep', '--junit']);
      expect(flagsIn(text, 'Cluster:')).toContain('--leave-db-running');
      expect(text).toMatch(new RegExp(`\\nExamples:\\n {2}faultline ${command} `));
    }
  });
});
