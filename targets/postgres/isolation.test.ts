import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTest, type TestArgs } from '../../harness/cli/commands/test.js';
import { UserError } from '../../harness/errors.js';
import type { Op } from '../../harness/history/op.js';
import { planRun } from '../../harness/run/run-test.js';
import { beginStatement, promisedModels } from './isolation.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'faultline-pg-isolation-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The plan of `faultline test --target postgres --workload list-append` with these flags (no config file). */
async function plan(flags: Record<string, string> = {}) {
  const { options } = await prepareTest({ target: 'postgres', workload: 'list-append', ...flags } as TestArgs, dir);
  return planRun(options);
}

/** Write skew: each transaction reads the key the other appends to, and sees it empty. */
const writeSkew = [
  [
    0,
    'invoke',
    [
      ['append', 1, 1],
      ['r', 2, null],
    ],
  ],
  [
    1,
    'invoke',
    [
      ['append', 2, 1],
      ['r', 1, null],
    ],
  ],
  [
    0,
    'ok',
    [
      ['append', 1, 1],
      ['r', 2, []],
    ],
  ],
  [
    1,
    'ok',
    [
      ['append', 2, 1],
      ['r', 1, []],
    ],
  ],
].map(([process, type, value], index) => ({ index, time: index, type, process, f: 'txn', value }) as Op);

describe('postgres isolation levels', () => {
  it('each level has its statement and the models PostgreSQL promises at it', () => {
    expect(beginStatement('repeatable-read')).toBe('BEGIN ISOLATION LEVEL REPEATABLE READ');
    expect(promisedModels('serializable')).toEqual(['serializable']);
    expect(promisedModels('repeatable-read')).toEqual(['snapshot-isolation']);
    expect(promisedModels('read-committed')).toEqual(['read-committed']);
  });

  it('the models checked follow from --isolation (default serializable)', async () => {
    expect((await plan()).workloadOptions.consistencyModels).toEqual(['serializable']);
    expect((await plan({ isolation: 'repeatable-read' })).workloadOptions.consistencyModels).toEqual([
      'snapshot-isolation',
    ]);
    expect((await plan({ isolation: 'read-committed' })).workloadOptions.consistencyModels).toEqual(['read-committed']);
  });

  it('--consistency-models overrides the level; an unknown model is refused up front', async () => {
    const p = await plan({ isolation: 'repeatable-read', consistencyModels: 'serializable, read-committed' });
    expect(p.workloadOptions.consistencyModels).toEqual(['serializable', 'read-committed']);
    await expect(plan({ consistencyModels: 'serialisable' })).rejects.toThrow(UserError);
    await expect(plan({ consistencyModels: 'serialisable' })).rejects.toThrow(/--consistency-models.*unknown/);
    await expect(plan({ isolation: 'snapshot' })).rejects.toThrow(/--isolation/);
  });

  it('the checker a run gets: write skew is valid at repeatable-read but still named, invalid when serializable is asked', async () => {
    const rr = await plan({ isolation: 'repeatable-read' });
    const atRr = await rr.workload.checker(rr.workloadOptions).check(writeSkew, {});
    expect(atRr).toMatchObject({ valid: true, anomalyTypes: ['G2-item'], not: ['repeatable-read'] });
    expect((atRr as { alsoNot: string[] }).alsoNot).toContain('serializable');
    const strict = await plan({ isolation: 'repeatable-read', consistencyModels: 'serializable' });
    expect(await strict.workload.checker(strict.workloadOptions).check(writeSkew, {})).toMatchObject({
      valid: false,
      anomalyTypes: ['G2-item'],
    });
  });
});
