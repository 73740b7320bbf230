/**
 * A controller that dies with faults in place, for the `faultline heal` test:
 * attaches to the running netns cluster named in argv[2] (without bringing
 * anything up), partitions it into halves, pauses the echo daemon on n2 and
 * bumps n1's clock, recording heal state in argv[3]; prints "applied" and
 * waits to be killed (the test sends SIGKILL). With a third argument
 * "heal-on-signals" it installs the heal-on-signal handlers first, as a run does.
 *
 *   node --import tsx nemesis/testing/fault-and-hang.ts CLUSTER STATE_DIR [heal-on-signals]
 */
import type { Runtime } from '../../harness/runtime/runtime.js';
import { clockNemesis } from '../clock.js';
import type { Nemesis, NemesisOp } from '../nemesis.js';
import { partitionNemesis } from '../partition.js';
import { pauseNemesis } from '../pause.js';
import { echoTarget } from './echo-target.js';
import { installHealOnSignals } from '../signals.js';
import { nemesisContext, netnsOptions, testRuntime } from './cluster.js';

const [cluster, stateDir, mode] = process.argv.slice(2);
if (!cluster || !stateDir) throw new Error('usage: fault-and-hang.ts CLUSTER STATE_DIR');

const attached = testRuntime(cluster);
const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'].map((n) => attached.node(n));
// The run records its whole runtime config section, as harness/run does.
// Not brought up by this process: answer nodes() from the layout.
const runtime = new Proxy(attached, {
  get(target, prop) {
    if (prop === 'nodes') return () => nodes;
    const value = Reflect.get(target, prop) as unknown;
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as Runtime;

const ctx = nemesisContext(runtime, echoTarget(), { stateDir, runtimeOptions: { kind: 'netns', netns: { ...netnsOptions(cluster) } } as never });
const steps: [Nemesis, NemesisOp][] = [
  [partitionNemesis(), { f: 'start-partition', value: { shape: 'halves' } }],
  [pauseNemesis(), { f: 'pause', value: { nodes: ['n2'] } }],
  [clockNemesis(), { f: 'bump-clock', value: { deltas: { n1: 10_000 } } }],
];
if (mode === 'heal-on-signals') {
  installHealOnSignals(async () => {
    for (const [nemesis] of steps) await nemesis.heal(ctx);
  });
}
for (const [nemesis, op] of steps) {
  const result = await nemesis.invoke(ctx, op);
  if (result.error) throw new Error(`${op.f} failed: ${result.error}`);
}
process.stdout.write('applied\n');
setInterval(() => {}, 60_000);
