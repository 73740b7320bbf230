import { readFile } from 'node:fs/promises';
import { readHistoryFile } from '../../harness/history/read.js';
import { checkLinearizable, explainLinearizable } from '../../checkers/linearizable/index.js';
const dir = '/work/shared/histories/knossos/';
const manifest = JSON.parse(await readFile(dir + 'MANIFEST.json', 'utf8'));
let total = 0; let bad = 0;
for (const e of manifest.entries) {
  const { history } = await readHistoryFile(dir + e.file, { format: 'edn' });
  const t = performance.now();
  const r = await checkLinearizable(history, { model: e.model, initial: e.initial, nilReadsAnyValue: true, timeoutMs: 20000 });
  const dt = performance.now() - t; total += dt;
  if (r.valid !== e.linearizable || dt > 100) { console.log(e.file, r.valid, e.linearizable, dt.toFixed(1)); }
  if (r.valid !== e.linearizable) bad++;
  if (r.valid === false && e.file.includes('minimal')) console.log(explainLinearizable(r));
}
console.log('total ms', total.toFixed(0), 'bad', bad);
