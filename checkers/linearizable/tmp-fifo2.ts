import { getModel } from './index.js';
import { splitByKey } from './check.js';
import { KeySearch } from './search.js';
import { pairHistory } from '../../harness/history/pair.js';
import { fifoQueueObject, simulateHistory } from './testing/simulate.js';
import { seededRng } from '../../harness/generator/rng.js';
const r = seededRng(1);
const history = simulateHistory({ object: fifoQueueObject(), clients: 6, ops: 60, crashRate: 0.3, random: r.next });
const model = getModel('fifo-queue');
const [k] = splitByKey(model, pairHistory(history));
console.log(k!.search.map((o) => `${o.invokeIndex}-${o.completeIndex ?? 'X'}:${o.f[0]}${JSON.stringify(o.value)}${o.outcome === 'info' ? '?' : ''}`).join(' '));
const s = new KeySearch(model, k!.search);
const t = performance.now();
for (let i = 0; i < 20; i++) { s.run(200000); console.log(s.iterations, s.cacheEntries, s.maxDepth, (performance.now() - t).toFixed(0)); }
