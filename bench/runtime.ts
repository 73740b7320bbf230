/**
 * netns runtime speed: up and down of a 5-node cluster (goal: each under 5 s),
 * plus the latency of exec and of a daemon start/stop. Needs root.
 * Cluster t3b on 10.231.1.0/24.
 */
import { silentLogger } from '../harness/log.js';
import { createNetnsRuntime } from '../harness/runtime/netns/index.js';
import { summary } from './timing.js';

const ROUNDS = 5;
const EXECS = 50;

export async function run(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('runtime: skipped (the netns runtime needs root)');
    return;
  }
  const ups: number[] = [];
  const downs: number[] = [];
  const execs: number[] = [];
  const daemons: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rt = createNetnsRuntime(
      { name: 't3b', nodes: 5, subnet: '10.231.1.0/24', stateDir: '/tmp/faultline-bench-state', removeNodeDirs: true },
      silentLogger,
    );
    let t = performance.now();
    try {
      await rt.up();
      ups.push(performance.now() - t);
      if (round === 0) {
        for (let i = 0; i < EXECS; i++) {
          t = performance.now();
          await rt.exec(`n${(i % 5) + 1}`, ['true']);
          execs.push(performance.now() - t);
        }
        for (let i = 0; i < 10; i++) {
          t = performance.now();
          await rt.startDaemon('n1', { name: 'bench', argv: ['sleep', '1000'] });
          await rt.stopDaemon('n1', 'bench');
          daemons.push(performance.now() - t);
        }
      }
      // Leave a process running so down has something to kill.
      await rt.startDaemon('n2', { name: 'leftover', argv: ['sleep', '1000'] });
    } finally {
      t = performance.now();
      await rt.down();
      downs.push(performance.now() - t);
    }
  }
  console.log(`netns, 5 nodes, ${ROUNDS} rounds (goal: up and down each < 5000 ms)`);
  console.log(`  up            ${summary(ups)}`);
  console.log(`  down          ${summary(downs)}`);
  console.log(`  exec true     ${summary(execs)}  (${EXECS} calls)`);
  console.log(`  daemon start+stop ${summary(daemons)}  (10 cycles)`);
  const worst = Math.max(...ups, ...downs);
  console.log(`  ${worst < 5000 ? 'OK' : 'SLOW'}: worst up/down ${worst.toFixed(0)} ms`);
}
