import { describe, expect, it } from 'vitest';
import { parseTargetOptions } from '../options.js';
import { MAIN_CLASS, serverId, ZOOKEEPER_JAR, zooCfg, zookeeperArgv } from './config.js';
import { modeOf } from './four-letter.js';
import { zookeeperTarget } from './index.js';

const nodes = [
  { name: 'n1', address: '10.0.0.2' },
  { name: 'n2', address: '10.0.0.3' },
  { name: 'n3', address: '10.0.0.4' },
];

describe('ZooKeeper configuration', () => {
  it("numbers the servers by the node's position, from 1, and refuses a stranger", () => {
    expect(nodes.map((n) => serverId(n, nodes))).toEqual([1, 2, 3]);
    expect(() => serverId({ name: 'n9', address: '10.0.0.9' }, nodes)).toThrow(/n9 is not one of the nodes n1, n2, n3/);
  });

  it('names every peer, listens on its own address only, and takes tick time and ports from the options', () => {
    const options = parseTargetOptions(zookeeperTarget, { tickTimeMs: 300, zkClientPort: 3000, quorumPort: 4000 });
    const lines = zooCfg(nodes[1]!, nodes, '/d/zk', options).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'tickTime=300',
        'dataDir=/d/zk',
        'clientPortAddress=10.0.0.3',
        'clientPort=3000',
        'quorumListenOnAllIPs=false',
        'server.1=10.0.0.2:4000:3888',
        'server.2=10.0.0.3:4000:3888',
        'server.3=10.0.0.4:4000:3888',
      ]),
    );
    expect(lines.find((l) => l.startsWith('4lw.commands.whitelist='))).toContain('srvr');
    expect(zooCfg(nodes[0]!, nodes, '/d', parseTargetOptions(zookeeperTarget, {}))).toContain('tickTime=500\n');
  });

  it("runs the quorum peer from Debian's jar with the heap asked for", () => {
    const argv = zookeeperArgv('/d/zoo.cfg', '/d', parseTargetOptions(zookeeperTarget, { heapMb: 64 }));
    expect(argv[0]).toBe('java');
    expect(argv).toContain('-Xmx64m');
    expect(argv[argv.indexOf('-cp') + 1]).toContain(ZOOKEEPER_JAR);
    expect(argv.slice(-2)).toEqual([MAIN_CLASS, '/d/zoo.cfg']);
  });

  it('reads the mode out of a srvr answer', () => {
    expect(modeOf('Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0.0/0\nMode: follower\nNode count: 5\n')).toBe(
      'follower',
    );
    expect(modeOf('This ZooKeeper instance is not currently serving requests\n')).toBeUndefined();
  });

  it('refuses bad options naming the flag', () => {
    expect(() => parseTargetOptions(zookeeperTarget, {}, { tickTimeMs: '50' })).toThrow(/--tick-time-ms/);
    expect(() => parseTargetOptions(zookeeperTarget, {}, { zkClientPort: '70000' })).toThrow(/--zk-client-port/);
    expect(parseTargetOptions(zookeeperTarget, {}, { sync: 'true' })).toMatchObject({ sync: true });
    expect(() => parseTargetOptions(zookeeperTarget, {}, { sync: 'yes' })).toThrow(/--sync/);
    expect(zookeeperTarget.linearizableReads(parseTargetOptions(zookeeperTarget, {}))).toBe(false);
  });
});
