/**
 * renderReport: ReportInput in, one self-contained HTML page out. Styles,
 * scripts (uPlot, MIT, embedded with its licence header, and the page script
 * bundled from ./page, see page-script.ts) and data are all inside the file,
 * so it opens from disk or a CI artifact with no network.
 *
 * Safety: recorded values reach the page only as JSON inside
 * <script type="application/json"> with `<`, `>` and `&` escaped, and the page
 * script writes them with textContent. A Content-Security-Policy allows only
 * this page's own scripts (by hash) and no network connections.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ReportInput } from './input.js';
import { DEFAULT_LIMITS, type PageData, type PageDataLimits, pageData } from './page-data.js';
import { pageScript } from './page-script.js';

/**
 * The report is kept under this size; past it, ops are sampled, op text dropped
 * and op listings cut to the ops around the failure (the page says so).
 */
export const REPORT_SIZE_CAP_BYTES = 20 * 1024 * 1024;

interface Assets {
  uplotJs: string;
  uplotCss: string;
  pageJs: string;
  pageCss: string;
}

let assets: Assets | undefined;

/** The page's static parts, read (and the page script bundled) once, from node_modules/uplot and ./page. */
function loadAssets(): Assets {
  if (assets) return assets;
  const require = createRequire(import.meta.url);
  const read = (path: string): string => readFileSync(path, 'utf8');
  const loaded: Assets = {
    uplotJs: read(require.resolve('uplot/dist/uPlot.iife.min.js')),
    uplotCss: read(require.resolve('uplot/dist/uPlot.min.css')),
    pageJs: pageScript(),
    pageCss: read(fileURLToPath(new URL('./page/report.css', import.meta.url))),
  };
  for (const [name, text] of Object.entries(loaded)) {
    // Inline code must not close its own element early.
    if (/<\/(script|style)/i.test(text))
      throw new Error(`report asset ${name} contains a closing </script> or </style> tag`);
  }
  return (assets = loaded);
}

/**
 * Returns the report page for `input`. Pure apart from reading the static
 * assets once. The page stays under REPORT_SIZE_CAP_BYTES: when the data is
 * too big, ops are sampled (and their text dropped) and the anomaly's op
 * listings cut, in steps until it fits, and the page states what was left out.
 */
export function renderReport(input: ReportInput): string {
  let limits: PageDataLimits = DEFAULT_LIMITS;
  for (;;) {
    const data = pageData(input, limits);
    const html = renderPage(data);
    if (Buffer.byteLength(html) <= REPORT_SIZE_CAP_BYTES || limits.maxOps < 1000) return html;
    limits = {
      ...limits,
      maxOps: Math.floor(limits.maxOps / 2),
      textBudget: Math.floor(limits.textBudget / 4),
      checkerJsonChars: 50_000,
      historyRows: Math.max(1000, Math.floor(limits.historyRows / 4)),
    };
  }
}

/** JSON that is safe inside a <script> element: no `<`, `>` or `&`, and no line separators, appear raw. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const UPLOT_NOTICE = '/* uPlot 1.6.32, (c) 2022 Leon Sorokin, MIT License: https://github.com/leeoniya/uPlot */\n';

function renderPage(data: PageData): string {
  const a = loadAssets();
  const uplotJs = UPLOT_NOTICE + a.uplotJs;
  const sha = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha(uplotJs)} ${sha(a.pageJs)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const elided = data.elided.length > 0 ? ` (elided to stay under ${REPORT_SIZE_CAP_BYTES / 1024 / 1024} MB)` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="faultline">
<title>${escapeHtml(`${data.meta.verdict.toUpperCase()}: ${data.meta.name}`)} · faultline</title>
<style>${a.uplotCss}</style>
<style>${a.pageCss}</style>
</head>
<body data-verdict="${data.meta.verdict}">
<main id="report"><noscript><p>This report draws its content with JavaScript. Verdict: ${data.meta.verdict}.</p></noscript></main>
<footer>faultline report · self-contained: no network needed${escapeHtml(elided)}</footer>
<script type="application/json" id="faultline-data">${scriptSafeJson(data)}</script>
<script>${uplotJs}</script>
<script>${a.pageJs}</script>
</body>
</html>
`;
}
