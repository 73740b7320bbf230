/**
 * The report in a real browser (Debian's chromium via playwright-core): opened
 * from file:// with no network, an invalid run must show its verdict, the
 * anomaly and every chart, show hostile values as text, and fetch nothing.
 * Saves results/screenshots/report.png for a person to look at.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinearizable } from '../../checkers/linearizable/index.js';
import { checkSet } from '../../checkers/set/index.js';
import type { Op } from '../history/op.js';
import { readHistoryFile } from '../history/read.js';
import type { RunResults } from '../results/results.js';
import { readStoredRun } from '../results/store.js';
import { missing } from '../testing/requirements.js';
import { KNOSSOS_DIR } from '../testing/shared-data.js';
import { syntheticRun } from './synthetic.js';
import { type Chromium, launchChromium } from './testing/browser.js';
import { writeCheckReport, writeRunReport } from './write.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const SCREENSHOTS = path.resolve('results/screenshots');

describe.skipIf(missing({ commands: ['chromium'] }))('report.html in chromium', () => {
  let dir: string;
  let browser: Chromium;
  let runReport: string;
  let failedText: string;
  let failedNode: string | undefined;
  let failedF: string;
  let clientOps: number;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'faultline-report-browser-'));
    const run = syntheticRun({ ops: 4000, stale: true, hostile: HOSTILE, seed: 11 });
    const checker = await checkLinearizable(run.history, { model: 'cas-register', initial: 0, timeoutMs: 30_000 });
    if (checker.valid !== false) throw new Error(`the synthetic run should not be linearizable, got ${checker.valid}`);
    failedText = checker.failure.failedOp.text;
    failedNode = checker.failure.failedOp.node;
    failedF = checker.failure.failedOp.f;
    clientOps = run.history.filter((op) => op.type === 'invoke').length;
    const results: RunResults = {
      valid: false,
      checker,
      stats: { ops: 4000, counts: {}, durationSeconds: run.durationSeconds },
      faults: run.faults,
      warnings: [`a warning with ${HOSTILE}`],
    };
    const runDir = path.join(dir, 'register', '20260101T000000');
    await mkdir(path.join(runDir, 'nodes', 'n1'), { recursive: true });
    await writeFile(path.join(runDir, 'nodes', 'n1', 'etcd.log'), 'etcd log\n');
    await writeFile(path.join(runDir, 'test.json'), JSON.stringify(run.test));
    await writeFile(path.join(runDir, 'history.jsonl'), `${run.history.map((op) => JSON.stringify(op)).join('\n')}\n`);
    await writeFile(path.join(runDir, 'results.json'), JSON.stringify(results));
    runReport = await writeRunReport(runDir, await readStoredRun(runDir));
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens a report, recording every request and dialog; returns them with the page. */
  async function open(file: string): Promise<{ page: Page; requests: string[]; dialogs: string[]; errors: string[] }> {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', async (route) => {
      requests.push(route.request().url());
      if (route.request().url().startsWith('file://')) await route.continue();
      else await route.abort();
    });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });
    return { page, requests, dialogs, errors };
  }

  /** How many non-blank pixels a canvas has. */
  async function inkedPixels(page: Page, selector: string): Promise<number> {
    return page.$eval(selector, (canvas) => {
      const c = canvas as unknown as {
        width: number;
        height: number;
        getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      };
      const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) n++;
      return n;
    });
  }

  it('shows the verdict, the anomaly and every chart, hostile values as text, with no network', async () => {
    const { page, requests, dialogs, errors } = await open(runReport);
    expect(errors).toEqual([]);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('invalid');
    expect(await page.textContent('#verdict .word')).toBe('invalid');
    expect(await page.getAttribute('body', 'data-render-errors')).toBeNull();

    // The anomaly: the failed op and the last ok op drawn, the path listed, the reason given.
    const anomaly = page.locator('.anomaly[data-kind="linearizable"]');
    expect(await anomaly.locator('rect[data-op="failed"]').count()).toBe(1);
    expect(await anomaly.locator('rect[data-op="last-ok"]').count()).toBe(1);
    expect(await anomaly.locator('ol.steps > li').count()).toBeGreaterThan(1);
    expect(await anomaly.locator('.explain').textContent()).toContain(failedText);

    // Each chart drew something.
    for (const chart of ['latency', 'quantiles', 'throughput', 'clock']) {
      expect(await inkedPixels(page, `[data-chart="${chart}"] canvas`), chart).toBeGreaterThan(1000);
    }
    expect(Number(await page.getAttribute('#timeline canvas', 'data-drawn'))).toBe(4000);
    expect(await inkedPixels(page, '#timeline canvas')).toBeGreaterThan(1000);

    // Hostile values are text, nothing ran.
    expect(await page.textContent('h1')).toBe(`register ${HOSTILE}`);
    expect(await page.locator('.warn').first().textContent()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    expect(dialogs).toEqual([]);

    // The node log is linked relatively.
    expect(await page.getAttribute('#logs a', 'href')).toBe('nodes/n1/etcd.log');

    // The only request was the file itself.
    expect(requests).toEqual([pathToFileURL(runReport).href]);

    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report.png'), fullPage: true });
    await page.close();
  });

  it('names the node that served the failed op, draws the fault window on the axis, shows the target options', async () => {
    const { page, errors } = await open(runReport);
    expect(errors).toEqual([]);
    const anomaly = page.locator('.anomaly[data-kind="linearizable"]');
    expect(failedNode).toMatch(/^n\d$/);
    expect(failedF).toBe('read');
    // In the diagram: on the failed op's bar and in its label.
    const bar = anomaly.locator('rect[data-op="failed"]');
    expect(await bar.getAttribute('data-node')).toBe(failedNode);
    const id = await bar.getAttribute('data-id');
    expect(await anomaly.locator(`text[data-label-for="${id}"]`).textContent()).toContain(`from ${failedNode}`);
    // In the plain-words explanation, and the key (the only one here) is not named at all.
    const explain = await anomaly.locator('.explain').textContent();
    expect(explain).toContain(`${failedText} from ${failedNode}`);
    expect(explain).not.toMatch(/key .*key /);
    // The stale read happens in or after the first partition: the partition is shaded on the diagram's axis.
    const axisMarks = anomaly.locator('svg rect[data-fault-axis="partition"]');
    expect(await axisMarks.count()).toBeGreaterThan(0);
    expect(await anomaly.locator('svg text[data-fault-label="partition"]').first().textContent()).toBe(
      'partition (n1, n2, n3)',
    );
    const svgBox = (await anomaly.locator('.diagram svg').boundingBox())!;
    const markBox = (await axisMarks.first().boundingBox())!;
    expect(markBox.width).toBeGreaterThan(0);
    expect(markBox.y).toBeGreaterThan(svgBox.y + svgBox.height - 40); // on the axis, under the lanes
    // The timeline's op details name the node too.
    const rows = await page.locator('#facts tr').allTextContents();
    expect(rows).toContain('target optionsreadMode: serializable');
    await page.locator('#anomaly').screenshot({ path: path.join(SCREENSHOTS, 'report-anomaly.png') });
    await page.close();
  });

  it('pages through every op of the failing key, starting at the failed op', async () => {
    const { page } = await open(runReport);
    const history = page.locator('.anomaly[data-kind="linearizable"] .history');
    const pages = Math.ceil(clientOps / 100);
    expect(await history.getAttribute('data-pages')).toBe(String(pages));
    const range = history.locator('.history-range');
    const rows = history.locator('tbody tr');
    // The first page shown is the failed op's.
    const failedPage = Number(await history.getAttribute('data-page'));
    expect(await history.locator('tr[data-role="failed"]').count()).toBe(1);
    expect(await history.locator('tr[data-role="failed"] td').nth(5).textContent()).toBe(failedNode);
    const firstNumber = async (): Promise<number> => Number(await rows.first().locator('td').first().textContent());
    expect(await firstNumber()).toBe((failedPage - 1) * 100 + 1);

    await history.locator('button:has-text("First")').click();
    expect(await history.getAttribute('data-page')).toBe('1');
    expect(await range.textContent()).toBe(`ops 1–100 of ${clientOps} (page 1 of ${pages})`);
    expect(await rows.count()).toBe(100);
    expect(await firstNumber()).toBe(1);
    expect(await history.locator('button:has-text("Previous")').isDisabled()).toBe(true);

    await history.locator('button:has-text("Next")').click();
    expect(await history.getAttribute('data-page')).toBe('2');
    expect(await firstNumber()).toBe(101);

    await history.locator('button:has-text("Last")').click();
    expect(await history.getAttribute('data-page')).toBe(String(pages));
    expect(await rows.count()).toBe(clientOps - (pages - 1) * 100);
    expect(await history.locator('button:has-text("Next")').isDisabled()).toBe(true);
    // Every op is listed once, in invocation order: the history indices only grow across pages.
    const lastIndex = Number(await rows.last().getAttribute('data-index'));
    expect(lastIndex).toBeGreaterThan(Number(await rows.first().getAttribute('data-index')));

    await history.locator('button:has-text("The failed op")').click();
    expect(await history.getAttribute('data-page')).toBe(String(failedPage));
    expect(await history.locator('tr[data-role="failed"]').count()).toBe(1);
    await page.close();
  });

  it('lays out every label of the anomaly diagrams whole: inside the drawing, inside its bar, never overlapping', async () => {
    // A history whose op labels are far too long for their bars: a write of a long value, a read of another.
    const long = `value-${'x'.repeat(260)}-end`;
    const ms = 1e6;
    const history = [
      { index: 0, type: 'invoke', process: 0, f: 'write', value: long, time: 1 * ms },
      { index: 1, type: 'invoke', process: 1, f: 'write', value: `${long}-2`, time: 2 * ms },
      { index: 2, type: 'ok', process: 0, f: 'write', value: long, time: 3 * ms, node: 'n1' },
      { index: 3, type: 'ok', process: 1, f: 'write', value: `${long}-2`, time: 4 * ms, node: 'n2' },
      { index: 4, type: 'invoke', process: 2, f: 'read', value: null, time: 5 * ms },
      { index: 5, type: 'ok', process: 2, f: 'read', value: 'never written', time: 6 * ms, node: 'n3' },
    ] as Op[];
    const result = await checkLinearizable(history, { model: 'register', initial: null });
    expect(result.valid).toBe(false);
    const long1 = await writeCheckReport(path.join(dir, 'long.html'), {
      file: 'long.jsonl',
      model: 'register',
      history,
      result,
    });
    const knossos = `${KNOSSOS_DIR}cas-register/bad/bad-analysis.edn`;
    const { history: kh } = await readHistoryFile(knossos);
    const kr = await checkLinearizable(kh, { model: 'cas-register', initial: 0 });
    const long2 = await writeCheckReport(path.join(dir, 'knossos.html'), { file: knossos, history: kh, result: kr });
    for (const file of [long1, long2, runReport]) {
      const { page, errors } = await open(file);
      expect(errors).toEqual([]);
      const problems = await page.evaluate(`(() => {
        const problems = [];
        const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
        const overlap = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        for (const svg of document.querySelectorAll('.anomaly svg')) {
          const box = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('text')];
          for (const t of texts) if (!inside(t.getBoundingClientRect(), box)) problems.push('outside the drawing: ' + t.textContent);
          const labels = texts.filter((t) => t.hasAttribute('data-label-for') || t.hasAttribute('data-fault-label'));
          for (const t of labels) {
            if (t.getAttribute('data-placement') !== 'inside') continue;
            const bar = svg.querySelector('rect[data-id="' + t.getAttribute('data-label-for') + '"]');
            if (!inside(t.getBoundingClientRect(), bar.getBoundingClientRect())) problems.push('outside its bar: ' + t.textContent);
          }
          for (let i = 0; i < labels.length; i++)
            for (let j = i + 1; j < labels.length; j++)
              if (overlap(labels[i].getBoundingClientRect(), labels[j].getBoundingClientRect()))
                problems.push('overlapping: ' + labels[i].textContent + ' / ' + labels[j].textContent);
          if (labels.length === 0) problems.push('no labels');
        }
        return problems;
      })()`);
      expect(problems, file).toEqual([]);
      if (file === long1) {
        // The long value is shown whole, on several lines.
        const label = page.locator('.anomaly text[data-placement="below"]', { hasText: 'value-' }).first();
        expect(await label.locator('tspan').count()).toBeGreaterThan(1);
        expect((await label.textContent())!.replace(/\s/g, '')).toContain(`write${long}`);
        await page.locator('#anomaly').screenshot({ path: path.join(SCREENSHOTS, 'long-labels.png') });
      }
      await page.close();
    }
  });

  it('zooms the timeline and shows an op under the mouse as text', async () => {
    const { page } = await open(runReport);
    const range = page.locator('#timeline .tl-controls span');
    const before = await range.textContent();
    await page.click('#timeline button:has-text("Zoom in")');
    await expect.poll(() => range.textContent()).not.toBe(before);
    const box = (await page.locator('#timeline canvas').boundingBox())!;
    // Hover along the first lane until an op is found.
    let shown = false;
    for (let x = 5; x < box.width && !shown; x += 7) {
      await page.mouse.move(box.x + x, box.y + 24 + 16 + 5);
      shown = await page.locator('#timeline .tooltip').isVisible();
    }
    expect(shown).toBe(true);
    expect(await page.locator('#timeline .tooltip').textContent()).toMatch(/^process \d+ · (ok|fail|info|open)/);
    // The node that served it (the synthetic ops that completed all name one).
    expect(await page.locator('#timeline .tooltip').textContent()).toMatch(/ · (node n\d|never completed)/);
    await page.close();
  });

  it.skipIf(missing({ paths: [KNOSSOS_DIR] }))(
    'draws a Knossos history without times as an offline check report',
    async () => {
      const file = `${KNOSSOS_DIR}cas-register/bad/bad-analysis.edn`;
      const { history } = await readHistoryFile(file);
      const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
      const out = await writeCheckReport(path.join(dir, 'check.html'), {
        file,
        model: 'cas-register',
        history,
        result,
      });
      const { page, errors, requests } = await open(out);
      expect(errors).toEqual([]);
      expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('invalid');
      expect(await page.locator('rect[data-op="failed"]').count()).toBe(1);
      expect(await page.textContent('#performance')).toContain('records no times');
      expect(requests).toHaveLength(1);
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.locator('#anomaly').screenshot({ path: path.join(SCREENSHOTS, 'knossos-anomaly.png') });
      await page.close();
    },
  );

  it('lists lost and unexpected set elements with when they were added and last seen', async () => {
    const ms = 1e6;
    const history = [
      { index: 0, type: 'invoke', process: 0, f: 'add', value: 1, time: 1 * ms },
      { index: 1, type: 'ok', process: 0, f: 'add', value: 1, time: 2 * ms },
      { index: 2, type: 'invoke', process: 0, f: 'add', value: 2, time: 3 * ms },
      { index: 3, type: 'ok', process: 0, f: 'add', value: 2, time: 4 * ms },
      { index: 4, type: 'invoke', process: 1, f: 'read', value: null, time: 5 * ms },
      { index: 5, type: 'ok', process: 1, f: 'read', value: [1, 2], time: 6 * ms },
      { index: 6, type: 'invoke', process: 1, f: 'read', value: null, time: 1007 * ms },
      { index: 7, type: 'ok', process: 1, f: 'read', value: [2, '<i>x</i>'], time: 1008 * ms },
    ] as Op[];
    const result = checkSet(history);
    expect(result.valid).toBe(false);
    const out = await writeCheckReport(path.join(dir, 'set.html'), { file: 'set.jsonl', history, result });
    const { page, errors } = await open(out);
    expect(errors).toEqual([]);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('invalid');
    const rows = await page.locator('.anomaly[data-kind="set"] tbody tr').allTextContents();
    expect(rows).toEqual([
      '1' + '0.001 s' + '0.002 s' + '—' + 'ok' + 'none' + '0.006 s',
      '<i>x</i>' + '—' + '—' + '—' + 'never added' + '—' + '1.008 s',
    ]);
    await page.close();
  });

  it('shows a valid run as valid, with no anomaly', async () => {
    const { history } = syntheticRun({ ops: 300, seed: 4 });
    const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
    expect(result.valid).toBe(true);
    const out = await writeCheckReport(path.join(dir, 'valid.html'), {
      file: 'valid.jsonl',
      model: 'cas-register',
      history,
      result,
    });
    const { page, errors } = await open(out);
    expect(errors).toEqual([]);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('valid');
    expect(await page.textContent('#anomaly')).toContain('None');
    await page.close();
  });

  it('shows an undecided search with how far it got', async () => {
    const { history } = syntheticRun({ ops: 20_000, seed: 3, concurrency: 10 });
    // The search alone: with unique values the fast path would decide it within the 1 ms.
    const result = await checkLinearizable(history, {
      model: 'cas-register',
      initial: 0,
      timeoutMs: 1,
      fastPath: false,
    });
    expect(result.valid).toBe('unknown');
    const out = await writeCheckReport(path.join(dir, 'unknown.html'), {
      file: 'big.jsonl',
      model: 'cas-register',
      history,
      result,
    });
    const { page, errors } = await open(out);
    expect(errors).toEqual([]);
    expect(await page.getAttribute('#verdict', 'data-verdict')).toBe('unknown');
    const box = page.locator('.anomaly[data-kind="undecided"]');
    expect(await box.locator('.explain').textContent()).toContain('timed out');
    expect(await box.locator('tbody tr').count()).toBe(1);
    expect(await box.locator('ol.steps > li').count()).toBeGreaterThan(0);
    await page.close();
  });
});
