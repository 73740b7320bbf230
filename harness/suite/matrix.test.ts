import { describe, expect, it } from 'vitest';
import { expandMatrix } from './matrix.js';

describe('expandMatrix', () => {
  it('runs every combination, targets x workloads x fault sets x options, in that order', () => {
    const cells = expandMatrix(
      {
        target: 'etcd',
        workload: ['register', 'set'],
        nemesis: ['none', 'partition,kill', ['pause']],
        options: [{}, { label: 'stale', targetOptions: { readMode: 'serializable' } }],
      },
      {},
    );
    expect(cells.map((c) => c.name)).toEqual([
      'etcd-register-none',
      'etcd-register-none-stale',
      'etcd-register-partition_kill',
      'etcd-register-partition_kill-stale',
      'etcd-register-pause',
      'etcd-register-pause-stale',
      'etcd-set-none',
      'etcd-set-none-stale',
      'etcd-set-partition_kill',
      'etcd-set-partition_kill-stale',
      'etcd-set-pause',
      'etcd-set-pause-stale',
    ]);
    expect(cells[3]).toEqual({
      target: 'etcd',
      workload: 'register',
      nemesis: ['partition', 'kill'],
      options: { label: 'stale', targetOptions: { readMode: 'serializable' } },
      name: 'etcd-register-partition_kill-stale',
    });
  });

  it('takes a dimension it leaves out from the test section, or the defaults', () => {
    expect(expandMatrix({}, {})).toEqual([
      { target: 'etcd', workload: 'register', nemesis: [], options: {}, name: 'etcd-register-none' },
    ]);
    const cells = expandMatrix({ options: [{ name: 'mine' }] }, { workload: 'set', nemesis: ['kill', 'pause'] });
    expect(cells).toEqual([
      { target: 'etcd', workload: 'set', nemesis: ['kill', 'pause'], options: { name: 'mine' }, name: 'mine' },
    ]);
    // A lone string is one fault combination, not a list of them.
    expect(expandMatrix({ nemesis: 'partition,kill' }, {}).map((c) => c.nemesis)).toEqual([['partition', 'kill']]);
  });

  it('names the entry of an unknown fault', () => {
    expect(() => expandMatrix({ nemesis: ['partition', 'partishun'] }, {})).toThrow(
      /^matrix\.nemesis\[1\]: unknown nemesis "partishun"; known: partition/,
    );
    expect(() => expandMatrix({}, { nemesis: ['nope'] }, (p) => `suite.yaml:3 (${p.join('.')})`)).toThrow(
      /^suite\.yaml:3 \(test\.nemesis\): unknown nemesis "nope"/,
    );
  });
});
