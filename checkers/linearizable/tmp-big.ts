import { checkLinearizable } from '/work/main/checkers/linearizable/index.js';
import { kvObject, simulateHistory } from '/work/main/checkers/linearizable/testing/simulate.js';
import { seededRng } from '/work/main/harness/generator/rng.js';
const random = seededRng(7);
const n = Number(process.argv[2] ?? 100000);
const big = simulateHistory({ object: kvObject(10), clients: 50, ops: n, crashRate: 0.02, random: random.next });
const t = performance.now(); const c0 = process.cpuUsage();
const r = await checkLinearizable(big, { model: 'kv', timeoutMs: 60000 });
const cu = process.cpuUsage(c0); console.log(r.valid, (performance.now() - t).toFixed(0), 'ms wall', ((cu.user+cu.system)/1000).toFixed(0), 'ms cpu', (process.resourceUsage().maxRSS/1024).toFixed(0), 'MiB');
