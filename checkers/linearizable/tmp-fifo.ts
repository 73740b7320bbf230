import { checkLinearizable } from './index.js';
import { fifoQueueObject, simulateHistory } from './testing/simulate.js';
import { seededRng } from '../../harness/generator/rng.js';
let worst = 0; let worstSeed = 0;
for (let seed = 0; seed < 400; seed++) {
  const r = seededRng(seed);
  const history = simulateHistory({ object: fifoQueueObject(), clients: 6, ops: 60, crashRate: 0.3, random: r.next });
  const t = performance.now();
  const res = await checkLinearizable(history, { model: 'fifo-queue', timeoutMs: 20000 });
  const dt = performance.now() - t;
  if (dt > worst) { worst = dt; worstSeed = seed; console.log(seed, res.valid, dt.toFixed(0), history.filter(o => o.type === 'info').length); }
}
