/**
 * The HTML pages `faultline serve` makes itself: the index of runs and plain
 * folder listings. Static HTML, no script; every name is escaped.
 */
import { escapeHtml } from '../report/render.js';
import type { RunEntry } from './runs.js';

/** A link path from "/"-separated relative segments, each percent-encoded. */
export function href(rel: string, trailingSlash = false): string {
  const encoded = rel.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return `/${encoded}${trailingSlash && encoded ? '/' : ''}`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { color: #57606a; }
.v { font-weight: 700; text-transform: uppercase; padding: 1px 8px; border-radius: 4px; color: #fff; }
.valid { background: #2b8a3e; } .invalid { background: #c92a2a; } .unknown { background: #b35c00; } .not-checked { background: #868e96; }
.muted { color: #57606a; }
a { color: #0969da; }`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

/** The index: one row per run, newest first (as given). */
export function indexPage(dir: string, runs: readonly RunEntry[]): string {
  const rows = runs.map((r) => {
    const links = [
      r.hasReport
        ? `<a href="${escapeHtml(href(`${r.path}/report.html`))}">report</a>`
        : '<span class="muted">no report</span>',
      r.hasHistory ? `<a href="${escapeHtml(href(`${r.path}/history.jsonl`))}">history</a>` : '',
      `<a href="${escapeHtml(href(`${r.path}/results.json`))}">results.json</a>`,
      ...r.nodes.map((n) => `<a href="${escapeHtml(href(`${r.path}/nodes/${n}`, true))}">${escapeHtml(n)} logs</a>`),
      `<a href="${escapeHtml(href(r.path, true))}">files</a>`,
    ].filter(Boolean);
    return `<tr data-run="${escapeHtml(r.path)}">
<td><span class="v ${r.verdict.replace(' ', '-')}">${escapeHtml(r.verdict)}</span></td>
<td>${escapeHtml(r.name)}<div class="muted">${escapeHtml([r.target, r.workload].filter(Boolean).join(' · '))}</div></td>
<td>${escapeHtml(r.startedAt)}</td>
<td>${links.join(' · ')}</td></tr>`;
  });
  const table =
    runs.length === 0
      ? '<p class="muted">No runs here yet. Runs appear as &lt;test-name&gt;/&lt;timestamp&gt;/ folders holding test.json or history.jsonl.</p>'
      : `<table><thead><tr><th>verdict</th><th>test</th><th>started</th><th>links</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
  return page(
    'faultline runs',
    `<h1>faultline runs</h1><p class="muted">${escapeHtml(dir)} · ${runs.length} run${runs.length === 1 ? '' : 's'}, newest first</p>${table}`,
  );
}

/** A folder's listing: sub-folders then files, names as links. */
export function listingPage(rel: string, entries: readonly { name: string; dir: boolean }[]): string {
  const items = entries.map(
    (e) =>
      `<li><a href="${escapeHtml(href(rel ? `${rel}/${e.name}` : e.name, e.dir))}">${escapeHtml(e.name)}${e.dir ? '/' : ''}</a></li>`,
  );
  const up = rel
    ? `<p><a href="${escapeHtml(href(rel.split('/').slice(0, -1).join('/'), true))}">..</a> · <a href="/">all runs</a></p>`
    : '';
  return page(`/${rel}`, `<h1>/${escapeHtml(rel)}</h1>${up}<ul>${items.join('\n')}</ul>`);
}
