import { getModel } from './index.js';
import { splitByKey } from './check.js';
import { KeySearch } from './search.js';
import { pairHistory } from '../../harness/history/pair.js';
import { kvObject, simulateHistory } from './testing/simulate.js';
import { seededRng } from '../../harness/generator/rng.js';
const random = seededRng(7);
const n = Number(process.argv[2] ?? 100000);
const big = simulateHistory({ object: kvObject(10), clients: 50, ops: n, crashRate: 0.02, random: random.next });
console.log('heap after sim', (process.memoryUsage().heapUsed/2**20).toFixed(0));
const model = getModel('kv');
const keys = splitByKey(model, pairHistory(big));
for (const k of keys.slice(0,3)) {
  const t = performance.now();
  const s = new KeySearch(model, k.search);
  while (s.run(1e9) === 'running');
  console.log(k.key, k.search.length, 'iters', s.iterations, 'entries', s.cacheEntries, 'bytes', (s.memoryEstimate()/2**20).toFixed(1), 'MiB', (performance.now()-t).toFixed(0), 'ms');
}
