import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { readStoredRun } from '../results/store.js';
import { syntheticRun } from './synthetic.js';
import { listNodeLogs, writeCheckReport, writeRunReport } from './write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'faultline-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeRun(runDir: string, withResults = true): Promise<void> {
  const run = syntheticRun({ ops: 200, seed: 5 });
  await mkdir(path.join(runDir, 'nodes', 'n1', 'sub'), { recursive: true });
  await writeFile(path.join(runDir, 'nodes', 'n1', 'etcd.log'), 'hello\n');
  await writeFile(path.join(runDir, 'nodes', 'n1', 'sub', 'more.log'), 'more\n');
  await symlink('/etc/passwd', path.join(runDir, 'nodes', 'n1', 'escape.log'));
  await writeFile(path.join(runDir, 'test.json'), JSON.stringify(run.test));
  await writeFile(path.join(runDir, 'history.jsonl'), `${run.history.map((op) => JSON.stringify(op)).join('\n')}\n`);
  if (withResults) {
    const results = {
      valid: true,
      checker: { kind: 'noop', valid: true },
      stats: { ops: 200, counts: {}, durationSeconds: 1 },
      faults: run.faults,
      warnings: [],
    };
    await writeFile(path.join(runDir, 'results.json'), JSON.stringify(results));
  }
}

describe('writeRunReport and readStoredRun', () => {
  it('writes report.html from a run folder, linking node logs but not symlinks', async () => {
    await writeRun(dir);
    const out = await writeRunReport(dir, await readStoredRun(dir));
    expect(out).toBe(path.join(dir, 'report.html'));
    const html = await readFile(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('"verdict":"valid"');
    expect(await listNodeLogs(dir)).toEqual([{ node: 'n1', files: ['nodes/n1/etcd.log', 'nodes/n1/sub/more.log'] }]);
  });

  it('names results.json when the run has not been checked', async () => {
    await writeRun(dir, false);
    const err = await readStoredRun(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(path.join(dir, 'results.json'));
  });

  it('names the file and line of a malformed history', async () => {
    await writeRun(dir);
    await writeFile(
      path.join(dir, 'history.jsonl'),
      '{"index":0,"time":0,"type":"invoke","process":0,"f":"read"}\nnot json\n',
    );
    await expect(readStoredRun(dir)).rejects.toThrow(`${path.join(dir, 'history.jsonl')}:2`);
  });
});

describe('writeCheckReport', () => {
  it('writes the report of an offline check', async () => {
    const { history } = syntheticRun({ ops: 100, seed: 2 });
    const out = path.join(dir, 'check.html');
    await writeCheckReport(out, {
      file: 'h.edn',
      model: 'cas-register',
      history,
      result: { kind: 'my-plugin', valid: false },
    });
    const html = await readFile(out, 'utf8');
    expect(html).toContain('"checked file","h.edn"');
    expect(html).toContain('"verdict":"invalid"');
  });
  it('throws UserError naming the path when it cannot write', async () => {
    await expect(
      writeCheckReport(path.join(dir, 'missing', 'x.html'), {
        file: 'h',
        history: [],
        result: { kind: 'noop', valid: true },
      }),
    ).rejects.toThrow(UserError);
  });
});
