/**
 * docs/github-actions.md is copied and pasted: its suite file must load as
 * `faultline suite` loads it, and its workflow must be YAML that runs that
 * suite with flags `faultline suite` takes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSuite } from '../suite/load.js';

const DOC = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'github-actions.md'), 'utf8');
const blocks = [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/github-actions.md', () => {
  it('has a suite file that loads: 2 workloads x 4 fault sets x 2 option sets', () => {
    const suite = parseSuite(blocks[0]!, 'ci/suite.yaml');
    expect(suite.name).toBe('nightly');
    expect(suite.specs).toHaveLength(16);
    expect(suite.specs.map((s) => s.label)).toContain('etcd-set-kill_pause-stale');
    expect(suite.specs[0]?.options.concurrency).toBe(10); // 2n on 5 nodes
  });

  it('has a workflow that runs that suite, writes the JUnit file and uploads the failed runs', () => {
    const workflow = parse(blocks[1]!) as {
      jobs: { suite: { container: { options: string }; steps: Array<{ run?: string; uses?: string; if?: string }> } };
    };
    const { steps, container } = workflow.jobs.suite;
    expect(container.options).toBe('--privileged');
    const run = steps.find((s) => s.run?.includes('faultline suite'))?.run;
    expect(run).toBe('npx faultline suite ci/suite.yaml --junit results/junit.xml --keep failed');
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && s.if === 'failure()');
    expect(upload).toBeDefined();
  });
});
