/**
 * ssh runtime speed: up (connect and check every node) and down of 5 nodes,
 * against real sshd servers inside a netns cluster (tbs, 10.231.13.0/24),
 * plus the latency of exec over a reused connection. Needs root and sshd.
 */
import { silentLogger } from '../harness/log.js';
import { createSshRuntime } from '../harness/runtime/ssh/index.js';
import { startSshdCluster } from '../harness/runtime/ssh/testing/sshd-cluster.js';
import { missing } from '../harness/testing/requirements.js';
import { summary } from './timing.js';

const ROUNDS = 5;
const EXECS = 50;

export async function run(): Promise<void> {
  const reason = missing({ root: true, commands: ['/usr/sbin/sshd', 'ssh-keygen'] });
  if (reason) {
    console.log(`runtime-ssh: skipped (${reason})`);
    return;
  }
  const servers = await startSshdCluster({ name: 'tbs', subnet: '10.231.13.0/24', nodes: 5 });
  const ups: number[] = [];
  const downs: number[] = [];
  const execs: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const rt = createSshRuntime(servers.sshOptions(), silentLogger);
      let t = performance.now();
      try {
        await rt.up();
        ups.push(performance.now() - t);
        if (round === 0) {
          for (let i = 0; i < EXECS; i++) {
            t = performance.now();
            await rt.exec(rt.nodes()[i % 5]!.name, ['true']);
            execs.push(performance.now() - t);
          }
        }
      } finally {
        t = performance.now();
        await rt.down();
        downs.push(performance.now() - t);
      }
    }
  } finally {
    await servers.stop();
  }
  console.log(`ssh, 5 nodes (sshd in netns), ${ROUNDS} rounds`);
  console.log(`  up (connect + check)  ${summary(ups)}`);
  console.log(`  down                  ${summary(downs)}`);
  console.log(`  exec true             ${summary(execs)}  (${EXECS} calls over reused connections)`);
}
