/**
 * The HTML pages `faultline serve` makes itself: the index of runs (with a
 * filter form) and plain folder listings. Static HTML, no script; every
 * name is escaped.
 */
import { escapeHtml } from '../report/render.js';
import { type RunEntry, type RunFilter, VERDICTS } from './runs.js';

/**
 * The Content-Security-Policy of these pages (sent as a header, and in a
 * meta element too for a saved copy): no script, nothing loaded, forms only
 * back to this server.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** A link path from "/"-separated relative segments, each percent-encoded. */
export function href(rel: string, trailingSlash = false): string {
  const encoded = rel.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return `/${encoded}${trailingSlash && encoded ? '/' : ''}`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1f2328; margin: 0; }
main { max-width: 1400px; margin: 0 auto; padding: 16px 24px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5px 10px 5px 0; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { color: #57606a; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.summary { max-width: 420px; overflow-wrap: anywhere; }
.v { font-weight: 700; text-transform: uppercase; padding: 1px 8px; border-radius: 4px; color: #fff; white-space: nowrap; }
.valid { background: #2b8a3e; } .invalid { background: #c92a2a; } .unknown { background: #b35c00; } .not-checked { background: #868e96; }
.muted { color: #57606a; }
form { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 8px 0 12px; }
select, button { font: inherit; }
a { color: #0969da; }`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(PAGE_CSP)}">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

/**
 * The index: one row per run of `shown` (newest first, as given), with a
 * form filtering by verdict and test (its choices from `all`, every run).
 */
export function indexPage(
  dir: string,
  all: readonly RunEntry[],
  shown: readonly RunEntry[],
  filter: RunFilter,
): string {
  const filtered = filter.verdict !== undefined || filter.test !== undefined;
  const rows = shown.map(runRow);
  const table =
    all.length === 0
      ? '<p class="muted">No runs here yet. Runs appear as &lt;test-name&gt;/&lt;timestamp&gt;/ folders holding test.json or history.jsonl.</p>'
      : shown.length === 0
        ? '<p class="muted">No run matches this filter.</p>'
        : `<table><thead><tr><th>verdict</th><th>test</th><th>started</th><th>duration</th><th>seed</th><th>faults</th><th>result</th><th>links</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
  const count = filtered
    ? `${shown.length} of ${all.length} run${all.length === 1 ? '' : 's'}`
    : `${all.length} run${all.length === 1 ? '' : 's'}`;
  return page(
    'faultline runs',
    `<h1>faultline runs</h1><p class="muted">${escapeHtml(dir)} · ${count}, newest first</p>${filterForm(all, filter)}${table}`,
  );
}

function runRow(r: RunEntry): string {
  const links = [
    r.hasReport
      ? `<a href="${escapeHtml(href(`${r.path}/report.html`))}">report</a>`
      : '<span class="muted">no report</span>',
    r.hasHistory ? `<a href="${escapeHtml(href(`${r.path}/history.jsonl`))}">history</a>` : '',
    `<a href="${escapeHtml(href(`${r.path}/results.json`))}">results.json</a>`,
    ...r.nodes.map((n) => `<a href="${escapeHtml(href(`${r.path}/nodes/${n}`, true))}">${escapeHtml(n)} logs</a>`),
    `<a href="${escapeHtml(href(r.path, true))}">files</a>`,
  ].filter(Boolean);
  const about = [[r.target, r.workload].filter(Boolean).join(' · '), r.targetOptions ?? '']
    .filter(Boolean)
    .map((line) => `<div class="muted">${escapeHtml(line)}</div>`)
    .join('');
  const duration = r.durationSeconds === undefined ? '—' : `${r.durationSeconds.toFixed(1)} s`;
  return `<tr data-run="${escapeHtml(r.path)}">
<td><span class="v ${r.verdict.replace(' ', '-')}">${escapeHtml(r.verdict)}</span></td>
<td>${escapeHtml(r.name)}${about}</td>
<td class="num">${escapeHtml(when(r.startedAt))}</td>
<td class="num">${escapeHtml(duration)}</td>
<td class="num">${r.seed === undefined ? '—' : escapeHtml(String(r.seed))}</td>
<td>${escapeHtml(r.nemesis.length ? r.nemesis.join(', ') : 'none')}</td>
<td class="summary">${escapeHtml(r.summary ?? '—')}</td>
<td>${links.join(' · ')}</td></tr>`;
}

/** "2026-03-01 00:00:00 UTC" for an ISO time (anything else as it is). */
function when(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

/** A GET form back to "/": verdict and test, each "any" or one of the values the runs have. */
function filterForm(all: readonly RunEntry[], filter: RunFilter): string {
  if (all.length === 0) return '';
  const option = (value: string, label: string, selected: boolean): string =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const verdicts = [
    option('', 'any verdict', filter.verdict === undefined),
    ...VERDICTS.map((v) => option(v, v, filter.verdict === v)),
  ];
  const names = [...new Set(all.map((r) => r.name))].sort((a, b) => a.localeCompare(b));
  const tests = [
    option('', 'any test', filter.test === undefined),
    ...names.map((n) => option(n, n, filter.test === n)),
  ];
  return `<form method="get" action="/">
<label>verdict <select name="verdict">${verdicts.join('')}</select></label>
<label>test <select name="test">${tests.join('')}</select></label>
<button type="submit">Show</button>${filter.verdict !== undefined || filter.test !== undefined ? ' <a href="/">show all</a>' : ''}
</form>`;
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
