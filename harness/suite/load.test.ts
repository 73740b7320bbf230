import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { loadSuite, parseSuite } from './load.js';

const SUITE = `name: nightly
runtime:
  netns: { name: ci9, nodes: 3, subnet: 10.245.9.0/24 }
test:
  timeLimitSeconds: 5
  concurrency: 2n
  seed: 40
  recoveryTimeSeconds: 2
  targetOptions: { readMode: linearizable }
matrix:
  workload: [register, set]
  nemesis: [none, "partition,kill"]
  options:
    - {}
    - { label: stale, concurrency: 4, targetOptions: { readMode: serializable }, checkTimeoutSeconds: 9 }
testCount: 2
`;

/** parseSuite's UserError message for `text` (fails the test when it parses). */
function suiteError(text: string, where = 'suite.yaml'): string {
  try {
    parseSuite(text, where);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseSuite', () => {
  it('makes one series per cell: names, runtime, shared options with each entry over them', () => {
    const suite = parseSuite(SUITE, 'suite.yaml');
    expect(suite.name).toBe('nightly');
    expect(suite.specs.map((s) => s.label)).toEqual([
      'etcd-register-none',
      'etcd-register-none-stale',
      'etcd-register-partition_kill',
      'etcd-register-partition_kill-stale',
      'etcd-set-none',
      'etcd-set-none-stale',
      'etcd-set-partition_kill',
      'etcd-set-partition_kill-stale',
    ]);
    const [plain, stale] = suite.specs;
    expect(plain?.config.runtime.netns).toMatchObject({ name: 'ci9', nodes: 3, subnet: '10.245.9.0/24' });
    expect(plain?.options).toMatchObject({
      name: 'etcd-register-none',
      workload: 'register',
      nemesis: [],
      concurrency: 6, // 2n on 3 nodes
      timeLimitSeconds: 5,
      seed: 40,
      recoverySeconds: 2,
      checkTimeoutSeconds: 300,
      targetOptions: { readMode: 'linearizable' },
    });
    expect(stale?.options).toMatchObject({
      concurrency: 4,
      checkTimeoutSeconds: 9,
      targetOptions: { readMode: 'serializable' },
    });
    expect(suite.specs[2]?.options.nemesis).toEqual(['partition', 'kill']);
    expect(suite.specs.every((s) => s.count === 2 && !s.keepGoing)).toBe(true);
  });

  it('takes the command line over the file: cluster, subnet, results folder, count, keep going', () => {
    const suite = parseSuite(SUITE, 'suite.yaml', '/tmp', {
      cluster: 'ci8',
      subnet: '10.245.8.0/24',
      resultsDir: '/tmp/r',
      testCount: 1,
      keepGoing: true,
    });
    expect(suite.specs[0]?.config.runtime.netns).toMatchObject({ name: 'ci8', subnet: '10.245.8.0/24' });
    expect(suite.specs[0]?.options.resultsDir).toBe('/tmp/r');
    expect(suite.specs.every((s) => s.count === 1 && s.keepGoing)).toBe(true);
  });

  it('is named after its file when it has no name', () => {
    expect(parseSuite('matrix: { workload: set }\n', 'ci/smoke.yml').name).toBe('smoke');
  });

  it('names the file and line of a mistake, before anything runs', () => {
    expect(suiteError('test:\n  timeLimitSeconds: 5\n  tiemLimit: 3\n')).toMatch(/^suite\.yaml:3: test\.tiemLimit:/);
    expect(suiteError('matrix:\n  workload: [register]\n  nemesis: [none, partishun]\n')).toMatch(
      /^suite\.yaml:3: unknown nemesis "partishun"/,
    );
    expect(suiteError('test:\n  concurrency: many\n')).toMatch(/^suite\.yaml:2: test\.concurrency: expected a whole/);
    expect(suiteError('\nmatrix:\n  workload: [register, nope]\n')).toMatch(
      /^suite\.yaml:3: run etcd-nope-none: .*nope/,
    );
    expect(suiteError('test:\n  nemesisOptions:\n    partition: { bogus: 1 }\n')).toMatch(
      /^suite\.yaml:3: test\.nemesisOptions\.partition\.bogus: unknown key/,
    );
    expect(suiteError('matrix:\n  options:\n    - nemesisOptions: { kill: { bogus: 1 } }\n')).toMatch(
      /^suite\.yaml:3: matrix\.options\[0\]\.nemesisOptions\.kill\.bogus: unknown key/,
    );
    expect(
      suiteError('matrix:\n  options:\n    - {}\n    - { label: odd, targetOptions: { readMode: sometimes } }\n'),
    ).toMatch(/^suite\.yaml:4: run etcd-register-none-odd: .*readMode/);
    expect(suiteError('matrix:\n  options: [{}, {}]\n')).toMatch(
      /^suite\.yaml:2: two runs are named etcd-register-none/,
    );
    expect(suiteError('matrix: [\n')).toMatch(/^suite\.yaml:\d+: syntax error/);
    expect(suiteError('testCount: 0\n')).toMatch(/^suite\.yaml:1: testCount: /);
    expect(suiteError('runtime:\n  netns: { subnet: 300.1.2.0/24 }\n')).toMatch(/^suite\.yaml(:\d+)?: .*subnet/);
  });

  it('loadSuite names a file it cannot read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'faultline-suite-'));
    try {
      await expect(loadSuite('missing.yaml', dir)).rejects.toThrow(/^missing\.yaml: cannot read the suite file/);
      await writeFile(join(dir, 'ok.yaml'), SUITE);
      expect((await loadSuite('ok.yaml', dir)).specs).toHaveLength(8);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
