import { describe, expect, it } from 'vitest';
import { parseTargetOptions } from '../options.js';
import { redisConf, sentinelConf, sentinelQuorum } from './config.js';
import { redisTarget } from './index.js';

const nodes = [
  { name: 'n1', address: '10.0.0.2' },
  { name: 'n2', address: '10.0.0.3' },
  { name: 'n3', address: '10.0.0.4' },
];
const input = (node: (typeof nodes)[number], options: Record<string, unknown> = {}) => ({
  node,
  initialPrimary: nodes[0]!,
  nodes,
  dataDir: '/d',
  options: parseTargetOptions(redisTarget, options),
});

describe('Redis configuration', () => {
  it('starts the first node as primary and the others as its replicas, on their own addresses', () => {
    const primary = redisConf(input(nodes[0]!)).split('\n');
    expect(primary).toContain('bind 10.0.0.2');
    expect(primary).toContain('port 6379');
    expect(primary.some((l) => l.startsWith('replicaof'))).toBe(false);
    const replica = redisConf(input(nodes[2]!)).split('\n');
    expect(replica).toContain('bind 10.0.0.4');
    expect(replica).toContain('replicaof 10.0.0.2 6379');
  });

  it('takes min-replicas-to-write, its lag, appendonly and the port from the options', () => {
    const lines = redisConf(
      input(nodes[1]!, { minReplicasToWrite: 1, minReplicasMaxLag: 2, appendOnly: true, redisPort: 7000 }),
    ).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'min-replicas-to-write 1',
        'min-replicas-max-lag 2',
        'appendonly yes',
        'port 7000',
        'replicaof 10.0.0.2 7000',
      ]),
    );
    expect(redisConf(input(nodes[1]!)).split('\n')).toEqual(
      expect.arrayContaining(['min-replicas-to-write 0', 'appendonly no', 'save ""']),
    );
  });

  it('has every sentinel monitor the first node with a majority quorum and the timeouts asked for', () => {
    const lines = sentinelConf(input(nodes[1]!, { downAfterMs: 1500, failoverTimeoutMs: 9000 })).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'bind 10.0.0.3',
        'port 26379',
        'sentinel announce-ip 10.0.0.3',
        'sentinel monitor faultline 10.0.0.2 6379 2',
        'sentinel down-after-milliseconds faultline 1500',
        'sentinel failover-timeout faultline 9000',
      ]),
    );
    expect([3, 4, 5].map(sentinelQuorum)).toEqual([2, 3, 3]);
  });

  it('refuses bad options naming the flag', () => {
    expect(() => parseTargetOptions(redisTarget, {}, { readFrom: 'replica' })).toThrow(/--read-from/);
    expect(() => parseTargetOptions(redisTarget, {}, { waitReplicas: '-1' })).toThrow(/--wait-replicas/);
    expect(parseTargetOptions(redisTarget, {}, { waitReplicas: '2', readFrom: 'any' })).toMatchObject({
      waitReplicas: 2,
      readFrom: 'any',
    });
  });
});
