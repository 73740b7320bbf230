/**
 * The HTML report at scale: a synthetic 100,000-op run with faults and a real
 * linearizability failure. Prints the report's size, the time to render it in
 * Node, and, in chromium (playwright-core), the time until every chart and the
 * timeline are drawn, and how long a timeline zoom takes to redraw.
 * With BENCH_REPORT_OPS=N, N ops instead (e.g. 1000000 to see the size cap at work).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkLinearizable } from '../checkers/linearizable/index.js';
import { loadPageScript } from '../harness/report/page-script.js';
import { REPORT_SIZE_CAP_BYTES, renderReport } from '../harness/report/render.js';
import { syntheticRun } from '../harness/report/synthetic.js';
import { launchChromium } from '../harness/report/testing/browser.js';
import type { RunResults } from '../harness/results/results.js';

export async function run(): Promise<void> {
  const ops = Number(process.env['BENCH_REPORT_OPS'] ?? 100_000);
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

  let t = performance.now();
  const synthetic = syntheticRun({ ops, stale: true, seed: 1 });
  console.log(
    `history: ${ops} ops (${synthetic.history.length} entries, ${synthetic.durationSeconds.toFixed(1)} s simulated) made in ${(performance.now() - t).toFixed(0)} ms`,
  );

  t = performance.now();
  const checker = await checkLinearizable(synthetic.history, { model: 'cas-register', initial: 0, timeoutMs: 60_000 });
  console.log(`checker: ${String(checker.valid)} in ${(performance.now() - t).toFixed(0)} ms`);

  const results: RunResults = {
    valid: checker.valid,
    checker,
    stats: { ops, counts: {}, durationSeconds: synthetic.durationSeconds },
    faults: synthetic.faults,
    warnings: [],
  };
  // The page script is bundled from TypeScript on the first render of a process (no prebuilt bundle in a
  // source checkout), then kept in memory: the first render pays it, the second does not.
  t = performance.now();
  const script = loadPageScript();
  const scriptMs = performance.now() - t;
  t = performance.now();
  const html = renderReport({ test: synthetic.test, history: synthetic.history, results });
  const renderMs = performance.now() - t;
  t = performance.now();
  renderReport({ test: synthetic.test, history: synthetic.history, results });
  const againMs = performance.now() - t;
  const bytes = Buffer.byteLength(html);
  console.log(
    `page script: ${script.source} in ${scriptMs.toFixed(0)} ms (${(script.script.length / 1024).toFixed(0)} KiB), once per process`,
  );
  console.log(
    `report.html: ${mb(bytes)} (cap ${mb(REPORT_SIZE_CAP_BYTES)}), rendered in Node in ${renderMs.toFixed(0)} ms (again: ${againMs.toFixed(0)} ms)`,
  );

  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-bench-report-'));
  const browser = await launchChromium();
  try {
    const file = path.join(dir, 'report.html');
    await writeFile(file, html);
    for (const attempt of [1, 2, 3]) {
      const page = await browser.context.newPage();
      const start = performance.now();
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('body[data-rendered="true"]', { timeout: 120_000 });
      const wall = performance.now() - start;
      // In-page code as strings: this file is type-checked without the DOM library.
      const inPage = (await page.evaluate(`({
        sinceNavigation: performance.now(),
        script: window.faultlineRenderMs,
        parts: window.faultlinePartMs,
        drawn: document.querySelector('#timeline canvas')?.getAttribute('data-drawn'),
        elided: Array.from(document.querySelectorAll('header .note')).map((n) => n.textContent),
        heapMb: (performance.memory?.usedJSHeapSize ?? 0) / 1024 / 1024,
      })`)) as {
        sinceNavigation: number;
        script: number;
        parts: Record<string, number>;
        drawn: string;
        elided: string[];
        heapMb: number;
      };
      // A timeline zoom: click, then wait two frames for the redraw.
      const zoomMs = (await page.evaluate(`new Promise((resolve) => {
        const button = (label) => Array.from(document.querySelectorAll('#timeline button')).find((b) => b.textContent === label);
        const t0 = performance.now();
        button('Zoom in').click();
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      })`)) as number;
      console.log(
        `chromium #${attempt}: first render (all charts and timeline drawn) ${inPage.sinceNavigation.toFixed(0)} ms after navigation ` +
          `(page script ${inPage.script.toFixed(0)} ms; goto→drawn ${wall.toFixed(0)} ms); timeline ops drawn ${inPage.drawn}; ` +
          `zoom redraw ${zoomMs.toFixed(0)} ms; JS heap ${inPage.heapMb.toFixed(0)} MB`,
      );
      console.log(`  page script per part (ms): ${JSON.stringify(inPage.parts)}`);
      if (attempt === 1) for (const note of inPage.elided) console.log(`  page says: ${note}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}
