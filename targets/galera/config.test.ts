import { describe, expect, it } from 'vitest';
import { myCnf, nodeFiles, parseGrastate, parseRecoveredPosition, parseStatus } from './config.js';
import { consistencyModelsFor, galeraOptionsSchema, isolationSql } from './options.js';

const nodes = [
  { name: 'n1', address: '10.247.0.2' },
  { name: 'n2', address: '10.247.0.3' },
  { name: 'n3', address: '10.247.0.4' },
];

describe('galera config', () => {
  it('my.cnf names the provider, every peer, the node and the options', () => {
    const options = galeraOptionsSchema.parse({ snapshotIsolation: true });
    const cnf = myCnf({ node: nodes[1]!, members: nodes, files: nodeFiles('/d/n2'), options, clusterName: 'gl' });
    expect(cnf).toContain('wsrep_provider=/usr/lib/galera/libgalera_smm.so\n');
    expect(cnf).toContain('wsrep_cluster_address=gcomm://10.247.0.2,10.247.0.3,10.247.0.4\n');
    expect(cnf).toContain('wsrep_node_address=10.247.0.3\n');
    expect(cnf).toContain('bind-address=10.247.0.3\n');
    expect(cnf).toContain('datadir=/d/n2/galera.data\n');
    expect(cnf).toContain('innodb_snapshot_isolation=ON\n');
    expect(cnf).toContain('wsrep_sync_wait=0\n');
  });

  it('reads grastate.dat, --wsrep-recover output and status rows', () => {
    const crashed = 'version: 2.1\nuuid: 5ee1-ab\nseqno:   -1\nsafe_to_bootstrap: 0\n';
    expect(parseGrastate(crashed)).toEqual({ seqno: -1, safeToBootstrap: false });
    expect(parseGrastate('seqno: 42\nsafe_to_bootstrap: 1\n')).toEqual({ seqno: 42, safeToBootstrap: true });
    expect(parseGrastate('')).toEqual({ seqno: undefined, safeToBootstrap: false });
    const log = '[Note] WSREP: Recovered position: b2464304-edef-11f1-a84d-a296acb0676c:13\n';
    expect(parseRecoveredPosition(log)).toBe(13);
    expect(parseRecoveredPosition('nothing')).toBeUndefined();
    expect(parseStatus('wsrep_cluster_size\t3\nwsrep_local_state_comment\tSynced\n')).toEqual({
      wsrep_cluster_size: '3',
      wsrep_local_state_comment: 'Synced',
    });
  });

  it('isolation levels: SQL spelling, default models, and a bad value named', () => {
    expect(isolationSql('repeatable-read')).toBe('REPEATABLE READ');
    expect(isolationSql('read-committed')).toBe('READ COMMITTED');
    const defaults = galeraOptionsSchema.parse({});
    expect(defaults.isolation).toBe('repeatable-read');
    expect(consistencyModelsFor(defaults)).toEqual(['repeatable-read']);
    expect(consistencyModelsFor({ isolation: 'repeatable-read', snapshotIsolation: true })).toEqual([
      'snapshot-isolation',
    ]);
    expect(consistencyModelsFor({ isolation: 'serializable', snapshotIsolation: false })).toEqual(['serializable']);
    expect(galeraOptionsSchema.safeParse({ isolation: 'snapshot' }).error?.issues[0]?.message).toBe(
      'expected repeatable-read, serializable or read-committed',
    );
  });
});
