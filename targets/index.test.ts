import { describe, expect, it } from 'vitest';
import { UserError } from '../harness/errors.js';
import { getWorkload, workloadNames } from '../workloads/index.js';
import { getTarget, targetNames } from './index.js';
import { targetWorkloads } from './target.js';

describe('target registry', () => {
  it('knows etcd, whose workloads are all registered', () => {
    expect(targetNames()).toContain('etcd');
    const etcd = getTarget('etcd');
    expect(etcd.name).toBe('etcd');
    for (const w of targetWorkloads(etcd)) expect(getWorkload(w).name).toBe(w);
  });

  it('knows redis and zookeeper too, whose workloads are all registered', () => {
    expect(targetNames()).toEqual(['etcd', 'galera', 'postgres', 'process', 'redis', 'zookeeper']);
    expect(targetWorkloads(getTarget('redis')).sort()).toEqual(['cas-register', 'register', 'session', 'set']);
    expect(targetWorkloads(getTarget('zookeeper')).sort()).toEqual(['cas-register', 'register', 'session']);
    for (const w of [...targetWorkloads(getTarget('redis')), ...targetWorkloads(getTarget('zookeeper'))]) {
      expect(getWorkload(w).name).toBe(w);
    }
  });

  it('rejects an unknown name with a UserError naming --target and the known ones', () => {
    expect(() => getTarget('cassandra')).toThrow(UserError);
    expect(() => getTarget('cassandra')).toThrow(/--target.*known: etcd, galera, postgres, process, redis, zookeeper/);
    expect(() => getTarget('toString')).toThrow(UserError);
  });
});

describe('workload registry', () => {
  it('knows register, cas-register, set, noop, session and the transactional ones', () => {
    expect(workloadNames()).toEqual([
      'register',
      'cas-register',
      'set',
      'noop',
      'session',
      'list-append',
      'rw-register',
      'bank',
    ]);
    for (const name of workloadNames()) expect(getWorkload(name).name).toBe(name);
  });

  it('rejects an unknown name with a UserError naming --workload', () => {
    expect(() => getWorkload('nope')).toThrow(
      /--workload.*known: register, cas-register, set, noop, session, list-append/,
    );
    expect(() => getWorkload('constructor')).toThrow(UserError);
  });

  it('etcd has no client for an unknown workload', () => {
    expect(targetWorkloads(getTarget('etcd'))).not.toContain('bank');
  });
});
