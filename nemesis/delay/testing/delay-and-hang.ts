/**
 * A controller that dies with a delay in place, for the `faultline heal` test:
 * attaches to the running delay-test netns cluster (without bringing anything
 * up), delays every link by 50 ms with the heal state in argv[2], prints
 * "applied" and waits to be killed (the test sends SIGKILL).
 *
 *   node --import tsx nemesis/delay/testing/delay-and-hang.ts STATE_DIR NODE_COUNT
 */
import type { Runtime } from '../../../harness/runtime/runtime.js';
import { nemesisContext } from '../../testing/cluster.js';
import { echoTarget } from '../../testing/echo-target.js';
import { delayNemesis } from '../nemesis.js';
import { delayNetnsOptions, delayTestRuntime } from './cluster.js';

const [stateDir, count] = process.argv.slice(2);
if (!stateDir || !count) throw new Error('usage: delay-and-hang.ts STATE_DIR NODE_COUNT');

const attached = delayTestRuntime('nemesis', Number(count));
const nodes = Array.from({ length: Number(count) }, (_, i) => attached.node(`n${i + 1}`));
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
  runtimeOptions: { kind: 'netns', netns: { ...delayNetnsOptions('nemesis', Number(count)) } } as never,
});
const result = await delayNemesis().invoke(ctx, { f: 'start-delay', value: { delayMs: 50, jitterMs: 0 } });
if (result.error) throw new Error(`start-delay failed: ${result.error}`);
process.stdout.write('applied\n');
setInterval(() => {}, 60_000);
