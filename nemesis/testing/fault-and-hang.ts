/**
 * A controller that dies with faults in place, for the `faultline heal` test:
 * attaches to the running netns cluster named in argv[2] (without bringing
 * anything up), partitions it into halves, pauses the echo daemon on n2 and
 * bumps n1's clock, recording heal state in argv[3]; prints "applied" and
 * waits to be killed (the test sends SIGKILL).
 *
 *   node --import tsx nemesis/testing/fault-and-hang.ts CLUSTER STATE_DIR
 */
import type { Runtime } from '../../harness/runtime/runtime.js';
import { clockNemesis } from '../clock.js';
import type { Nemesis, NemesisOp } from '../nemesis.js';
import { partitionNemesis } from '../partition.js';
import { pauseNemesis } from '../pause.js';
import { echoTarget } from './echo-target.js';
import { nemesisContext, netnsOptions, testRuntime } from './cluster.js';

const [cluster, stateDir] = process.argv.slice(2);
if (!cluster || !stateDir) throw new Error('usage: fault-and-hang.ts CLUSTER STATE_DIR');

const attached = testRuntime(cluster);
const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => attached.node(n));
// Not brought up by this process: answer nodes() from the layout.
const runtime = new Proxy(attached, {
  get(target, prop) {
    if (prop === 'nodes') return () => nodes;
    const value = Reflect.get(target, prop) as unknown;
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as Runtime;

const ctx = nemesisContext(runtime, echoTarget(), { stateDir, runtimeOptions: { ...netnsOptions(cluster) } as never });
const steps: [Nemesis, NemesisOp][] = [
  [partitionNemesis(), { f: 'start-partition', value: { shape: 'halves' } }],
  [pauseNemesis(), { f: 'pause', value: { nodes: ['n2'] } }],
  [clockNemesis(), { f: 'bump-clock', value: { deltas: { n1: 10_000 } } }],
];
for (const [nemesis, op] of steps) {
  const result = await nemesis.invoke(ctx, op);
  if (result.error) throw new Error(`${op.f} failed: ${result.error}`);
}
process.stdout.write('applied\n');
setInterval(() => {}, 60_000);
