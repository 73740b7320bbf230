/**
 * netns clusters for the delay tests and bench. Cluster names start with
 * "dly" and subnets are in 10.240.0.0/16: the ones given to this fault's tests
 * (other suites run on this host at the same time).
 */
import { silentLogger } from '../../../harness/log.js';
import { createNetnsRuntime, type NetnsOptions } from '../../../harness/runtime/netns/index.js';
import type { Runtime } from '../../../harness/runtime/runtime.js';
import { sh } from '../../node-shell.js';
import { TEST_STATE_DIR } from '../../testing/cluster.js';

/** Each test file (and the bench) has its own cluster name and subnet. */
export const DELAY_CLUSTERS = {
  helper: { name: 'dlyh', subnet: '10.240.1.0/24' },
  nemesis: { name: 'dlyn', subnet: '10.240.2.0/24' },
  bench: { name: 'dlyb', subnet: '10.240.3.0/24' },
  netem: { name: 'dlyq', subnet: '10.240.7.0/24' },
} as const;

export function delayNetnsOptions(cluster: keyof typeof DELAY_CLUSTERS, nodes: number): NetnsOptions {
  return { ...DELAY_CLUSTERS[cluster], nodes, stateDir: TEST_STATE_DIR, removeNodeDirs: true };
}

export function delayTestRuntime(cluster: keyof typeof DELAY_CLUSTERS, nodes: number): Runtime {
  return createNetnsRuntime(delayNetnsOptions(cluster, nodes), silentLogger);
}

/** Every line of the node's filter and mangle tables that names one of our chains. */
export async function faultlineRules(runtime: Runtime, node: string): Promise<string[]> {
  const { stdout } = await sh(runtime, node, 'iptables -w -S; iptables -w -t mangle -S');
  return stdout.split('\n').filter((l) => l.includes('FAULTLINE'));
}
