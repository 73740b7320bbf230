/**
 * A controller that dies with faults in place, for the `faultline heal` test:
 * attaches to the running netns cluster named in argv[2] (without bringing
 * anything up), partitions it into halves, pauses the echo daemon on n2 and
 * bumps n1's clock, recording heal state in argv[3]; prints "applied" and
 * waits to be killed (the test sends SIGKILL). With a third argument
 * "heal-on-signals" it heals every fault on SIGINT / SIGTERM and exits 130 / 143,
 * as the run lifecycle does (harness/run/run-test.ts).
 *
 *   node --import tsx nemesis/testing/fault-and-hang.ts CLUSTER STATE_DIR [heal-on-signals]
 */
import type { Runtime } from '../../harness/runtime/runtime.js';
import { clockNemesis } from '../clock/nemesis.js';
import { composeNemeses, serialized } from '../compose.js';
import type { NemesisOp } from '../nemesis.js';
import { partitionNemesis } from '../partition/nemesis.js';
import { pauseNemesis } from '../pause/nemesis.js';
import { nemesisContext, netnsOptions, testRuntime } from './cluster.js';
import { echoTarget } from './echo-target.js';

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

const ctx = nemesisContext(runtime, echoTarget(), {
  stateDir,
  runtimeOptions: { kind: 'netns', netns: { ...netnsOptions(cluster) } } as never,
});
// Composed and serialized as nemesisPackage makes it: a heal waits for a fault being applied.
const nemesis = serialized(composeNemeses([partitionNemesis(), pauseNemesis(), clockNemesis()]));
const ops: NemesisOp[] = [
  { f: 'start-partition', value: { shape: 'halves' } },
  { f: 'pause', value: { nodes: ['n2'] } },
  { f: 'bump-clock', value: { deltas: { n1: 10_000 } } },
];
if (mode === 'heal-on-signals') {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      nemesis.heal(ctx).then(
        () => process.exit(code),
        (err: unknown) => {
          process.stderr.write(`heal after ${signal} failed: ${String(err)}\n`);
          process.exit(code);
        },
      );
    });
  }
}
for (const op of ops) {
  const result = await nemesis.invoke(ctx, op);
  if (result.error) throw new Error(`${op.f} failed: ${result.error}`);
}
process.stdout.write('applied\n');
setInterval(() => {}, 60_000);
