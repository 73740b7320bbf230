// faultline report page script: inline in report.html, runs with no network.
// Every value from the system or the history reaches the page through
// textContent (never innerHTML), so a recorded value cannot run as markup.
// The data is computed by harness/report/page-data.ts; this only lays it out.
/* global uPlot */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('faultline-data').textContent);
  var root = document.getElementById('report');
  var COLORS = { ok: '#2b8a3e', fail: '#c92a2a', info: '#e67700', open: '#868e96' };
  var OUTCOMES = ['ok', 'fail', 'info', 'open'];
  // Shades per outcome so several fs stay apart while the outcome stays readable.
  var SHADES = {
    ok: ['#2b8a3e', '#1971c2', '#5f3dc4', '#0c8599', '#66a80f', '#364fc7'],
    fail: ['#c92a2a', '#a61e4d', '#e8590c', '#862e9c'],
    info: ['#e67700', '#f08c00', '#d9480f', '#b08900'],
    open: ['#868e96'],
  };
  var FAULT_FILLS = ['rgba(255,146,43,0.16)', 'rgba(132,94,247,0.14)', 'rgba(34,139,230,0.14)', 'rgba(250,82,82,0.13)', 'rgba(64,192,87,0.14)'];
  var charts = [];
  // A history without times (Knossos files): times are history positions, 1 position = 1 s in the data.
  var UNTIMED = data.meta.untimed;

  // ---------- small DOM helpers (text only) ----------
  function el(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    appendAll(node, children);
    return node;
  }
  function appendAll(node, children) {
    if (children === undefined || children === null) return node;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function section(title, id) {
    var s = el('section', null, el('h2', null, title));
    if (id) s.id = id;
    root.appendChild(s);
    return s;
  }
  function table(headers, rows, numericFrom) {
    var t = el('table');
    var head = el('tr');
    headers.forEach(function (h, i) { head.appendChild(el('th', i >= numericFrom ? 'num' : null, h)); });
    t.appendChild(el('thead', null, head));
    var body = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (cell, i) {
        tr.appendChild(el('td', i >= numericFrom ? 'num' : null, cell instanceof Node ? cell : String(cell)));
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }
  function secs(us) {
    if (us === null || us === undefined) return '—';
    return UNTIMED ? 'op ' + Math.round(us / 1e6) : (us / 1e6).toFixed(3) + ' s';
  }
  function faultLabel(f) { return f.nodes.length ? f.fault + ' (' + f.nodes.join(', ') + ')' : f.fault; }
  function chartWidth(node) { return Math.max(320, (node.clientWidth || root.clientWidth || 900) - 4); }

  // ---------- header ----------
  function renderHeader() {
    var m = data.meta;
    var head = el('header');
    head.appendChild(el('h1', null, m.name));
    var marks = { valid: '✓', invalid: '✗', unknown: '?' };
    var banner = el('div', 'verdict ' + m.verdict, [
      el('span', 'mark', marks[m.verdict]),
      el('span', 'word', m.verdict),
      el('span', null, m.headline),
    ]);
    banner.id = 'verdict';
    banner.setAttribute('data-verdict', m.verdict);
    head.appendChild(banner);
    var grid = el('div', 'grid2');
    grid.appendChild(table(['', ''], m.rows, 9));
    var counts = data.counts.map(function (c) {
      return [c.f, el('span', 'ok', String(c.ok)), el('span', 'fail', String(c.fail)), el('span', 'info', String(c.info)), el('span', 'open', String(c.open))];
    });
    var countsBox = el('div', null, [table(['f', 'ok', 'fail', 'info', 'never completed'], counts, 1)]);
    countsBox.id = 'counts';
    grid.appendChild(countsBox);
    head.appendChild(grid);
    m.warnings.forEach(function (w) { head.appendChild(el('div', 'warn', 'Warning: ' + w)); });
    data.elided.forEach(function (e) { head.appendChild(el('div', 'note', e)); });
    root.appendChild(head);
  }

  // ---------- the anomaly: sections drawn by each checker's view (checkers/view.ts) ----------
  function renderAnomalies() {
    var s = section('The anomaly', 'anomaly');
    if (data.sections.length === 0) {
      s.appendChild(el('p', 'muted', data.meta.verdict === 'valid'
        ? 'None: the checker accepted the history.'
        : 'The checker result carries no evidence this report knows how to draw; its full result is at the end of the page.'));
      return;
    }
    data.sections.forEach(function (sec) {
      var box = el('div', 'anomaly');
      box.setAttribute('data-kind', sec.kind);
      if (data.sections.length > 1 || sec.checker !== 'checker') box.appendChild(el('h3', null, 'Checker: ' + sec.checker));
      sec.blocks.forEach(function (b) { box.appendChild(renderBlock(b)); });
      s.appendChild(box);
    });
  }

  function renderBlock(b) {
    switch (b.type) {
      case 'text': return el(b.role === 'explain' ? 'p' : 'div', b.role === 'explain' ? 'explain' : b.role === 'note' ? 'note' : null, b.text);
      case 'table': return tableBlock(b);
      case 'steps': return stepsBlock(b);
      case 'ops': return opsBlock(b);
      case 'graph': return graphBlock(b);
      case 'json': return el('pre', 'raw', JSON.stringify(b.value, null, 2));
      default: return el('div', 'note', 'A part of this result cannot be drawn by this report (' + String(b.type) + ').');
    }
  }

  // Times in blocks are ns since the test started (histories without times: position × 1 s).
  function timeText(ns) {
    if (ns === undefined || ns === null) return '—';
    return UNTIMED ? 'op ' + Math.round(ns / 1e9) : (ns / 1e9).toFixed(3) + ' s';
  }
  function cellText(c) {
    if (c === null || c === undefined) return '—';
    if (typeof c === 'object') return timeText(c.time);
    return String(c);
  }

  function tableBlock(b) {
    var wrap = el('div');
    if (b.caption) wrap.appendChild(el('p', 'muted', b.caption));
    // Columns whose cells are all numbers or times are right-aligned.
    var numeric = b.columns.map(function (_, i) {
      return b.rows.length > 0 && b.rows.every(function (r) { var c = r[i]; return typeof c === 'number' || (c !== null && typeof c === 'object'); });
    });
    var t = el('table');
    var head = el('tr');
    b.columns.forEach(function (h, i) { head.appendChild(el('th', numeric[i] ? 'num' : null, h)); });
    t.appendChild(el('thead', null, head));
    var body = el('tbody');
    b.rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (c, i) { tr.appendChild(el('td', numeric[i] ? 'num' : null, cellText(c))); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    if (b.total !== undefined && b.total > b.rows.length) {
      wrap.appendChild(el('div', 'note', (b.total - b.rows.length) + ' more are not listed (see results.json).'));
    }
    return wrap;
  }

  function stepItem(step) {
    return el('li', null, step.detail === undefined ? step.text : [step.text + '  →  ', el('span', 'state', step.detail)]);
  }

  function stepsBlock(b) {
    var wrap = el('div');
    if (b.caption) wrap.appendChild(el('p', 'muted', b.caption));
    var list = el('ol', 'steps');
    list.setAttribute('start', String((b.omitted || 0) + 1));
    b.steps.forEach(function (st) { list.appendChild(stepItem(st)); });
    wrap.appendChild(list);
    return wrap;
  }

  // Steps of a path drawn on the diagram and listed; earlier ones are folded away.
  var DRAWN_STEPS = 10;

  function opsBlock(b) {
    var box = el('div');
    box.appendChild(el('p', 'muted', [
      swatch('#ffe3e3', COLORS.fail), 'the op that went wrong',
      swatch('#d3f9d8', COLORS.ok), 'last ok op that was fine',
      swatch('#e7f5ff', '#1971c2'), 'ok op',
      swatch('#fff4e6', COLORS.info), 'indeterminate (may or may not have happened)',
      ' · ' + (b.legend ? b.legend + ' · ' : '') + 'left to right: the order in which ops were invoked and returned (not to scale)',
    ]));
    var svgBox = el('div');
    box.appendChild(svgBox);
    var pathButtons = el('div', 'paths');
    var stepsBox = el('div');
    if (b.paths.length) box.appendChild(pathButtons);
    box.appendChild(stepsBox);
    function select(i) {
      Array.prototype.forEach.call(pathButtons.children, function (btn, j) { btn.setAttribute('aria-pressed', String(j === i)); });
      svgBox.textContent = '';
      svgBox.appendChild(drawOps(b.ops, b.paths[i]));
      stepsBox.textContent = '';
      if (b.paths[i]) stepsBox.appendChild(pathSteps(b.paths[i]));
    }
    b.paths.forEach(function (p, i) {
      var btn = el('button', null, p.label);
      btn.type = 'button';
      btn.addEventListener('click', function () { select(i); });
      pathButtons.appendChild(btn);
    });
    select(0);
    return box;
  }

  function swatch(fill, stroke) {
    var s = el('span', 'legend-swatch');
    s.style.background = fill;
    s.style.border = '2px solid ' + stroke;
    return s;
  }

  function pathSteps(path) {
    var wrap = el('div');
    wrap.appendChild(el('p', path.steps.length ? 'muted' : null, path.caption));
    var steps = path.steps;
    var hidden = Math.max(0, steps.length - DRAWN_STEPS);
    var list = el('ol', 'steps');
    list.setAttribute('start', String(path.omitted + hidden + 1));
    if (hidden > 0 || path.omitted > 0) {
      var earlier = el('details', null, el('summary', null, (path.omitted + hidden) + ' earlier step' + (path.omitted + hidden === 1 ? '' : 's') + ' (not drawn)'));
      var earlierList = el('ol', 'steps');
      earlierList.setAttribute('start', String(path.omitted + 1));
      if (path.omitted > 0) earlier.appendChild(el('p', 'muted', 'Steps 1–' + path.omitted + ' are in the checker result below.'));
      steps.slice(0, hidden).forEach(function (st) { earlierList.appendChild(stepItem(st)); });
      earlier.appendChild(earlierList);
      wrap.appendChild(earlier);
    }
    steps.slice(hidden).forEach(function (st) { list.appendChild(stepItem(st)); });
    if (path.end) list.appendChild(el('li', 'failed', path.end));
    wrap.appendChild(list);
    return wrap;
  }

  function drawOps(ops, path) {
    var processes = Array.from(new Set(ops.map(function (o) { return o.process; })))
      .sort(function (x, y) { return (Number(x) - Number(y)) || (x < y ? -1 : x > y ? 1 : 0); });
    // x is event order, not time: each invocation and completion gets its own
    // column, so real-time order (all linearizability depends on) is exact and
    // short ops stay readable next to long ones.
    var times = new Map();
    ops.forEach(function (o) {
      times.set(o.invoke.index, o.invoke.time);
      if (o.complete) times.set(o.complete.index, o.complete.time);
    });
    var events = Array.from(times.keys()).sort(function (p, q) { return p - q; });
    var slotOf = new Map(events.map(function (e, i) { return [e, i]; }));
    var slots = events.length + 1; // the last column stands for "never returned"
    var W = Math.max(640, svgWidth()), LEFT = 110, RIGHT = 20, ROW = 46, TOP = 28, BAR = 34;
    var H = TOP + processes.length * ROW + 30;
    var x = function (slot) { return LEFT + (slot + 0.5) / slots * (W - LEFT - RIGHT); };
    var g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img' });
    g.appendChild(svg('title', {}, 'Ops around the anomaly, one row per process'));
    var every = Math.max(1, Math.ceil(events.length / 7));
    events.forEach(function (e, i) {
      if (i % every !== 0) return;
      g.appendChild(svg('line', { x1: x(i), x2: x(i), y1: TOP - 6, y2: H - 24, stroke: '#eaeef2' }));
      g.appendChild(svg('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', fill: '#57606a' }, timeText(times.get(e))));
    });
    processes.forEach(function (p, i) {
      g.appendChild(svg('text', { x: 8, y: TOP + i * ROW + 22, fill: '#57606a' }, 'process ' + p));
    });
    var centers = new Map();
    ops.forEach(function (o) {
      var lane = processes.indexOf(o.process);
      var isOpen = !o.complete;
      var x0 = x(slotOf.get(o.invoke.index)) - 4, x1 = isOpen ? W - RIGHT : x(slotOf.get(o.complete.index)) + 4;
      var y = TOP + lane * ROW + 4;
      var isFailed = o.role === 'failed', isLastOk = o.role === 'last-ok';
      var fill = isFailed ? '#ffe3e3' : isLastOk ? '#d3f9d8' : o.indeterminate ? '#fff4e6' : '#e7f5ff';
      var stroke = isFailed ? COLORS.fail : isLastOk ? COLORS.ok : o.indeterminate ? COLORS.info : '#1971c2';
      var rect = svg('rect', {
        x: x0, y: y, width: Math.max(3, x1 - x0), height: BAR, rx: 4, fill: fill, stroke: stroke,
        'stroke-width': isFailed || isLastOk ? 2.5 : 1.2,
      });
      if (isOpen) rect.setAttribute('stroke-dasharray', '5 3');
      rect.setAttribute('data-op', o.role);
      var tip = 'process ' + o.process + ': ' + o.text + (o.node ? ' on ' + o.node : '') + '\ninvoked ' + timeText(o.invoke.time) + ', ' +
        (isOpen ? 'never returned (indeterminate)' : 'returned ' + timeText(o.complete.time)) + ', history index ' + o.invoke.index;
      rect.appendChild(svg('title', {}, tip));
      g.appendChild(rect);
      var label = (isFailed ? '✗ ' : '') + o.text + (isOpen ? ' …?' : '');
      // The label is clipped to its bar (a nested svg clips); the bar's tooltip has it in full.
      var clip = svg('svg', { x: x0, y: y, width: Math.max(3, x1 - x0), height: BAR });
      var txt = svg('text', { x: 5, y: 13, fill: isFailed ? COLORS.fail : '#1f2328' }, label);
      if (isFailed) txt.setAttribute('font-weight', '700');
      clip.appendChild(txt);
      g.appendChild(clip);
      centers.set(o.id, { x0: x0, x1: x1, y: y + BAR - 9 }); // dots sit under the label
    });
    // The selected path: a point inside each op's interval, in order.
    if (path && path.steps.length) {
      var prev = -Infinity;
      var pts = [];
      var firstDrawn = Math.max(0, path.steps.length - DRAWN_STEPS);
      path.steps.forEach(function (st, i) {
        var c = i >= firstDrawn ? centers.get(st.op) : undefined;
        if (!c) return;
        var px = Math.min(c.x1 - 6, Math.max(c.x0 + 16, prev + 30));
        prev = px;
        pts.push({ x: px, y: c.y, n: path.omitted + i + 1, state: st.detail });
      });
      if (pts.length > 1) {
        g.appendChild(svg('polyline', {
          points: pts.map(function (p) { return p.x + ',' + p.y; }).join(' '),
          fill: 'none', stroke: '#0969da', 'stroke-width': 1.5, 'stroke-dasharray': '3 2',
        }));
      }
      pts.forEach(function (p) {
        // A pill wide enough for the step number.
        var w = 8 + 6.5 * String(p.n).length;
        var dot = svg('rect', { x: p.x - w / 2, y: p.y - 7.5, width: w, height: 15, rx: 7.5, fill: '#0969da', stroke: '#fff', 'stroke-width': 1 });
        dot.appendChild(svg('title', {}, 'step ' + p.n + (p.state === undefined ? '' : ': after it: ' + p.state)));
        g.appendChild(dot);
        g.appendChild(svg('text', { x: p.x, y: p.y + 3.5, 'text-anchor': 'middle', fill: '#fff', 'font-size': 10.5 }, p.n));
      });
    }
    return g;
  }

  function svgWidth() { return Math.min(1400, (root.clientWidth || 1000) - 8); }

  // A small directed graph (e.g. a cycle of transactions), nodes on a circle, edges labelled.
  function graphBlock(b) {
    var n = b.nodes.length;
    var W = Math.min(900, Math.max(360, svgWidth())), H = Math.max(300, Math.min(520, 160 + n * 40));
    var cx = W / 2, cy = H / 2, r = Math.min(W, H) / 2 - 60;
    var pos = new Map();
    b.nodes.forEach(function (node, i) {
      var a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
      pos.set(node.id, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) });
    });
    var g = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'data-graph': 'true' });
    var defs = svg('defs', {});
    var marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.appendChild(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#57606a' }));
    defs.appendChild(marker);
    g.appendChild(defs);
    b.edges.forEach(function (e) {
      var p = pos.get(e.from), q = pos.get(e.to);
      if (!p || !q) return;
      var dx = q.x - p.x, dy = q.y - p.y, len = Math.max(1, Math.sqrt(dx * dx + dy * dy));
      var sx = p.x + (dx / len) * 30, sy = p.y + (dy / len) * 18, tx = q.x - (dx / len) * 30, ty = q.y - (dy / len) * 18;
      // Bend each edge a little so that a pair of opposite edges stays apart: away from the centre, so that the
      // labels of a cycle sit outside it rather than pile up in the middle.
      var nx = -dy / len, ny = dx / len, hx = (sx + tx) / 2, hy = (sy + ty) / 2;
      if (nx * (hx - cx) + ny * (hy - cy) < 0) { nx = -nx; ny = -ny; }
      var mx = hx + nx * 18, my = hy + ny * 18;
      var path = svg('path', { d: 'M ' + sx + ' ' + sy + ' Q ' + mx + ' ' + my + ' ' + tx + ' ' + ty, fill: 'none', stroke: '#57606a', 'stroke-width': 1.5, 'marker-end': 'url(#arrow)' });
      path.setAttribute('data-edge', e.label);
      if (e.detail) path.appendChild(svg('title', {}, e.detail));
      g.appendChild(path);
      g.appendChild(svg('text', { x: hx + nx * 30, y: hy + ny * 30 + 4, 'text-anchor': 'middle', fill: '#0969da', 'font-size': 12 }, e.label));
    });
    b.nodes.forEach(function (node) {
      var p = pos.get(node.id);
      var w = Math.max(44, 8 * node.label.length + 16);
      var rect = svg('rect', { x: p.x - w / 2, y: p.y - 16, width: w, height: 32, rx: 8, fill: '#fff8c5', stroke: '#9a6700', 'stroke-width': 1.5 });
      rect.setAttribute('data-node', node.id);
      if (node.detail) rect.appendChild(svg('title', {}, node.detail));
      g.appendChild(rect);
      g.appendChild(svg('text', { x: p.x, y: p.y + 5, 'text-anchor': 'middle', fill: '#1f2328' }, node.label));
    });
    return el('div', 'graph', g);
  }

  // ---------- charts ----------
  function faultPlugin() {
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx, b = u.bbox;
          ctx.save();
          data.faults.forEach(function (f, i) {
            var x0 = u.valToPos(f.startUs / 1e6, 'x', true);
            var x1 = u.valToPos((f.endUs === null ? data.endUs : f.endUs) / 1e6, 'x', true);
            x0 = Math.max(b.left, x0); x1 = Math.min(b.left + b.width, x1);
            if (x1 <= x0) return;
            ctx.fillStyle = FAULT_FILLS[faultIndex(f.fault) % FAULT_FILLS.length];
            ctx.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height);
          });
          ctx.restore();
        }],
        draw: [function (u) {
          var ctx = u.ctx, b = u.bbox, pr = devicePixelRatio || 1;
          ctx.save();
          ctx.font = (11 * pr) + 'px system-ui, sans-serif';
          ctx.fillStyle = '#5c3c00';
          ctx.textBaseline = 'top';
          ctx.textAlign = 'left';
          data.faults.forEach(function (f, i) {
            var x0 = u.valToPos(f.startUs / 1e6, 'x', true);
            if (x0 < b.left || x0 > b.left + b.width) return;
            ctx.fillText(faultLabel(f), x0 + 3 * pr, b.top + (2 + (i % 3) * 12) * pr);
          });
          ctx.restore();
        }],
      },
    };
  }
  var faultNames = [];
  function faultIndex(name) {
    var i = faultNames.indexOf(name);
    if (i === -1) { faultNames.push(name); i = faultNames.length - 1; }
    return i;
  }

  function makeChart(parent, title, opts, series, chartData) {
    parent.appendChild(el('div', 'chart-title', title));
    var holder = el('div', 'chart');
    holder.setAttribute('data-chart', opts.id);
    parent.appendChild(holder);
    var chart = new uPlot({
      width: chartWidth(parent), height: opts.height || 280,
      plugins: [faultPlugin()],
      scales: { x: { time: false, range: [0, Math.max(data.endUs / 1e6, 1e-6)] }, y: opts.yScale || {} },
      axes: [
        { label: 'seconds since the test started', size: 44 },
        { label: opts.yLabel, size: 64 },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, points: { show: false } },
      series: [{ label: 'time (s)', value: function (u, v) { return v === null ? '—' : v.toFixed(3); } }].concat(series),
    }, chartData, holder);
    charts.push({ chart: chart, parent: parent });
    return chart;
  }

  function faultsLegend(parent) {
    if (!data.faults.length) {
      parent.appendChild(el('p', 'muted', 'No faults were injected (no fault windows to shade).'));
      return;
    }
    var p = el('p', 'muted', 'Shaded: fault windows. ');
    var seen = {};
    data.faults.forEach(function (f) {
      if (seen[f.fault]) return;
      seen[f.fault] = true;
      var sw = el('span', 'legend-swatch');
      sw.style.background = FAULT_FILLS[faultIndex(f.fault) % FAULT_FILLS.length].replace(/0\.1\d\)/, '0.5)');
      appendAll(p, [sw, f.fault]);
    });
    parent.appendChild(p);
    var list = data.faults.slice(0, 50).map(function (f) {
      return [f.fault, secs(f.startUs), f.endUs === null ? 'still active at the end' : secs(f.endUs), f.nodes.join(', ') || '—', f.detail];
    });
    var details = el('details', null, el('summary', null, data.faults.length + ' fault window' + (data.faults.length === 1 ? '' : 's')));
    details.appendChild(table(['fault', 'from', 'to', 'nodes', 'detail'], list, 9));
    if (data.faults.length > 50) details.appendChild(el('p', 'muted', '(first 50 shown)'));
    parent.appendChild(details);
  }

  function renderPerformance() {
    var s = section('Performance', 'performance');
    faultsLegend(s);
    if (UNTIMED) {
      s.appendChild(el('p', 'note', 'This history records no times, so there is no latency or throughput to chart. The timeline below orders ops by their position in the history.'));
      return;
    }
    var ops = data.ops, fs = ops.fs;
    // Latency scatter: one series per f and outcome; x is the invocation time.
    var combos = [];
    var comboOf = new Map();
    var order = [];
    for (var i = 0; i < ops.invoke.length; i++) {
      if (ops.complete[i] < 0) continue;
      order.push(i);
      var key = ops.f[i] * 4 + ops.type[i];
      if (!comboOf.has(key)) { comboOf.set(key, combos.length); combos.push({ f: ops.f[i], type: ops.type[i] }); }
    }
    order.sort(function (p, q) { return ops.invoke[p] - ops.invoke[q]; });
    combos.sort(function (p, q) { return p.type - q.type || p.f - q.f; });
    combos.forEach(function (c, j) { comboOf.set(c.f * 4 + c.type, j); });
    var xs = new Float64Array(order.length);
    var ys = combos.map(function () { return new Array(order.length).fill(null); });
    order.forEach(function (i, row) {
      xs[row] = ops.invoke[i] / 1e6;
      ys[comboOf.get(ops.f[i] * 4 + ops.type[i])][row] = Math.max(0.001, (ops.complete[i] - ops.invoke[i]) / 1e3);
    });
    var shadeUse = { ok: 0, fail: 0, info: 0, open: 0 };
    var scatterSeries = combos.map(function (c) {
      var outcome = OUTCOMES[c.type];
      var shades = SHADES[outcome];
      var color = shades[shadeUse[outcome]++ % shades.length];
      return {
        label: fs[c.f] + ' ' + outcome, stroke: color, paths: function () { return null; },
        points: { show: true, size: 3.5, width: 0, fill: color, stroke: color, space: 0 },
        value: function (u, v) { return v === null ? '—' : v.toFixed(2) + ' ms'; },
      };
    });
    var logY = { distr: 3 };
    makeChart(s, 'Latency of every op (by f and outcome; x: when it was invoked)', { id: 'latency', yLabel: 'latency (ms, log)', yScale: logY },
      scatterSeries, [Array.from(xs)].concat(ys));

    var b = data.buckets;
    var bx = b.t.map(function (t) { return (t + b.widthUs / 2) / 1e6; });
    var qs = [['p50', '#1971c2'], ['p95', '#e67700'], ['p99', '#c92a2a'], ['max', '#495057']];
    makeChart(s, 'Latency quantiles per ' + (b.widthUs / 1e6) + ' s bucket', { id: 'quantiles', yLabel: 'latency (ms, log)', yScale: logY },
      qs.map(function (q) {
        return { label: q[0], stroke: q[1], width: 1.6, spanGaps: false, value: function (u, v) { return v === null ? '—' : v.toFixed(2) + ' ms'; } };
      }),
      [bx].concat(qs.map(function (q) { return b[q[0]].map(function (v) { return v === null ? null : Math.max(0.001, v); }); })));

    var used = { ok: 0, fail: 0, info: 0, open: 0 };
    makeChart(s, 'Throughput (completions per second, by f and outcome)', { id: 'throughput', yLabel: 'ops/s' },
      b.throughput.map(function (t) {
        var outcome = t.label.split(' ').pop();
        var shades = SHADES[outcome] || SHADES.open;
        return { label: t.label, stroke: shades[used[outcome]++ % shades.length], width: 1.5, paths: uPlot.paths.stepped({ align: 1 }) };
      }),
      [b.t.map(function (t) { return t / 1e6; })].concat(b.throughput.map(function (t) { return t.values; })));
  }

  function renderClock() {
    if (!data.clock) return;
    var s = section('Clock offsets', 'clock');
    s.appendChild(el('p', 'muted', 'Measured offset of each node’s clock from the controller’s, as recorded by the clock nemesis.'));
    var palette = ['#1971c2', '#c92a2a', '#2b8a3e', '#e67700', '#5f3dc4', '#0c8599', '#a61e4d'];
    makeChart(s, 'Clock offset per node', { id: 'clock', yLabel: 'offset (ms)' },
      data.clock.nodes.map(function (n, i) {
        // An offset holds until the next measurement: draw steps.
        return { label: n, stroke: palette[i % palette.length], width: 1.8, spanGaps: true, paths: uPlot.paths.stepped({ align: 1 }), points: { show: true, size: 6 },
          value: function (u, v) { return v === null ? '—' : v.toFixed(1) + ' ms'; } };
      }),
      [data.clock.t.map(function (t) { return t / 1e6; })].concat(data.clock.offsets));
  }

  // ---------- timeline (canvas, zoom and pan) ----------
  function renderTimeline() {
    var s = section('Timeline', 'timeline');
    var ops = data.ops;
    s.appendChild(el('p', 'muted', 'One row per worker (a worker continues under a fresh process id after an indeterminate op). ' +
      'Scroll to zoom, drag to pan, double-click to reset; hover an op for its details.'));
    var legend = el('p', 'muted');
    OUTCOMES.forEach(function (o) { var sw = el('span', 'legend-swatch'); sw.style.background = COLORS[o]; appendAll(legend, [sw, o === 'open' ? 'never completed' : o]); });
    s.appendChild(legend);
    var controls = el('div', 'tl-controls');
    var zoomIn = el('button', null, 'Zoom in'), zoomOut = el('button', null, 'Zoom out'), reset = el('button', null, 'Reset');
    var range = el('span', 'muted mono');
    appendAll(controls, [zoomIn, zoomOut, reset, range]);
    s.appendChild(controls);
    var wrap = el('div', 'timeline-wrap');
    var canvas = el('canvas');
    var tip = el('div', 'tooltip');
    var pinned = el('pre', 'mono');
    pinned.textContent = 'Click an op to show its details here.';
    appendAll(wrap, [canvas, tip]);
    s.appendChild(wrap);
    s.appendChild(pinned);

    var ROW = ops.lanes > 120 ? 6 : ops.lanes > 60 ? 9 : 14, AXIS = 24, LEFT = 0, FAULT_BAND = data.faults.length ? 16 : 0;
    var end = Math.max(1, data.endUs);
    var view = { lo: 0, hi: end };
    var laneOps = [];
    for (var l = 0; l < ops.lanes; l++) laneOps.push([]);
    for (var i = 0; i < ops.invoke.length; i++) laneOps[ops.processLane[ops.proc[i]]].push(i);
    laneOps.forEach(function (list) { list.sort(function (p, q) { return ops.invoke[p] - ops.invoke[q]; }); });
    var width = 0, height = AXIS + FAULT_BAND + ops.lanes * ROW + 4, dpr = devicePixelRatio || 1;
    var ctx = canvas.getContext('2d');

    function size() {
      width = chartWidth(s);
      canvas.width = width * dpr; canvas.height = height * dpr;
      canvas.style.width = width + 'px'; canvas.style.height = height + 'px';
    }
    function xOf(t) { return LEFT + (t - view.lo) / (view.hi - view.lo) * (width - LEFT); }
    function tOf(x) { return view.lo + (x - LEFT) / (width - LEFT) * (view.hi - view.lo); }
    var queued = false;
    function requestDraw() { if (!queued) { queued = true; requestAnimationFrame(function () { queued = false; draw(); }); } }
    function draw() {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.textAlign = 'left'; ctx.textBaseline = 'alphabetic';
      // Fault windows: a band under the axis with the fault's name (lanes get an outline after the bars).
      data.faults.forEach(function (f) {
        var x0 = Math.max(0, xOf(f.startUs)), x1 = Math.min(width, xOf(f.endUs === null ? end : f.endUs));
        if (x1 <= x0) return;
        ctx.fillStyle = FAULT_FILLS[faultIndex(f.fault) % FAULT_FILLS.length].replace(/0\.1\d\)/, '0.45)');
        ctx.fillRect(x0, AXIS, x1 - x0, FAULT_BAND);
        ctx.fillStyle = '#3d2600'; ctx.font = '11px system-ui, sans-serif';
        ctx.fillText(faultLabel(f), x0 + 3, AXIS + 12);
      });
      // axis
      ctx.fillStyle = '#57606a'; ctx.strokeStyle = '#eaeef2'; ctx.font = '11px system-ui, sans-serif';
      var step = niceStep((view.hi - view.lo) / 8);
      for (var t = Math.ceil(view.lo / step) * step; t <= view.hi; t += step) {
        var x = xOf(t);
        ctx.fillRect(x, AXIS - 6, 1, 6);
        ctx.fillText(fmtT(t, step), x + 2, 12);
      }
      var h = Math.max(2, ROW - 3);
      for (var c = 0; c < 4; c++) {
        ctx.fillStyle = COLORS[OUTCOMES[c]];
        for (var l = 0; l < laneOps.length; l++) {
          var list = laneOps[l], y = AXIS + FAULT_BAND + l * ROW + 1;
          for (var k = firstVisible(list); k < list.length; k++) {
            var o = list[k];
            if (ops.type[o] !== c) continue;
            var a = ops.invoke[o];
            if (a > view.hi) break;
            var z = ops.complete[o] < 0 ? end : ops.complete[o];
            var x0 = xOf(a), x1 = xOf(z);
            ctx.fillRect(x0, y, Math.max(1, x1 - x0 - 0.5), h);
          }
        }
      }
      ctx.strokeStyle = 'rgba(61,38,0,0.55)'; ctx.setLineDash([4, 3]); ctx.lineWidth = 1;
      data.faults.forEach(function (f) {
        [f.startUs, f.endUs === null ? end : f.endUs].forEach(function (t) {
          var x = Math.round(xOf(t)) + 0.5;
          if (x < 0 || x > width) return;
          ctx.beginPath(); ctx.moveTo(x, AXIS); ctx.lineTo(x, height); ctx.stroke();
        });
      });
      ctx.setLineDash([]);
      range.textContent = 'showing ' + secs(view.lo) + ' – ' + secs(view.hi);
    }
    // Ops in a lane do not overlap, so the first visible one is found by bisection on invoke time.
    function firstVisible(list) {
      var lo = 0, hi = list.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (ops.invoke[list[mid]] < view.lo) lo = mid + 1; else hi = mid; }
      return Math.max(0, lo - 1);
    }
    function niceStep(raw) {
      var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1)))), m = raw / p;
      return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
    }
    function fmtT(t, step) { if (UNTIMED) return 'op ' + Math.round(t / 1e6); var d = step >= 1e6 ? 0 : step >= 1e5 ? 1 : step >= 1e4 ? 2 : step >= 1e3 ? 3 : 6; return (t / 1e6).toFixed(d) + ' s'; }
    function zoom(factor, atX) {
      var t = tOf(atX), span = (view.hi - view.lo) * factor;
      span = Math.min(end, Math.max(10, span));
      var frac = (atX - LEFT) / (width - LEFT);
      view.lo = t - span * frac; view.hi = view.lo + span;
      clampView(); requestDraw();
    }
    function clampView() {
      var span = view.hi - view.lo;
      if (view.lo < 0) { view.lo = 0; view.hi = span; }
      if (view.hi > end) { view.hi = end; view.lo = Math.max(0, end - span); }
    }
    function opAt(px, py) {
      var lane = Math.floor((py - AXIS - FAULT_BAND) / ROW);
      if (lane < 0 || lane >= laneOps.length) return -1;
      var t = tOf(px), slack = (view.hi - view.lo) / width * 2;
      var list = laneOps[lane];
      var lo = 0, hi = list.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (ops.invoke[list[mid]] <= t + slack) lo = mid + 1; else hi = mid; }
      for (var k = lo - 1; k >= 0 && k >= lo - 3; k--) {
        var o = list[k], z = ops.complete[o] < 0 ? end : ops.complete[o];
        if (z + slack >= t) return o;
      }
      return -1;
    }
    function describe(o) {
      var outcome = OUTCOMES[ops.type[o]];
      var lat = ops.complete[o] < 0 ? 'never completed' : ((ops.complete[o] - ops.invoke[o]) / 1e3).toFixed(3) + ' ms';
      return 'process ' + ops.processes[ops.proc[o]] + ' · ' + outcome + ' · ' + lat + '\n' +
        (ops.text ? ops.text[o] : ops.fs[ops.f[o]]) + '\ninvoked ' + secs(ops.invoke[o]) + ' · history index ' + ops.index[o];
    }
    var drag = null;
    canvas.addEventListener('wheel', function (e) {
      e.preventDefault();
      zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX);
    }, { passive: false });
    canvas.addEventListener('mousedown', function (e) { drag = { x: e.clientX, lo: view.lo, hi: view.hi, moved: false }; canvas.style.cursor = 'grabbing'; });
    window.addEventListener('mouseup', function () { if (drag) canvas.style.cursor = 'grab'; setTimeout(function () { drag = null; }, 0); });
    window.addEventListener('mousemove', function (e) {
      if (!drag) return;
      var dt = (e.clientX - drag.x) / (width - LEFT) * (drag.hi - drag.lo);
      if (Math.abs(e.clientX - drag.x) > 2) drag.moved = true;
      view.lo = drag.lo - dt; view.hi = drag.hi - dt; clampView(); requestDraw();
    });
    canvas.addEventListener('mousemove', function (e) {
      if (drag && drag.moved) { tip.style.display = 'none'; return; }
      var o = opAt(e.offsetX, e.offsetY);
      if (o < 0) { tip.style.display = 'none'; return; }
      tip.textContent = describe(o);
      tip.style.display = 'block';
      tip.style.left = Math.min(e.offsetX + 12, width - 380) + 'px';
      tip.style.top = (e.offsetY + 14) + 'px';
    });
    canvas.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
    canvas.addEventListener('click', function (e) {
      if (drag && drag.moved) return;
      var o = opAt(e.offsetX, e.offsetY);
      if (o >= 0) pinned.textContent = describe(o);
    });
    canvas.addEventListener('dblclick', function () { view.lo = 0; view.hi = end; requestDraw(); });
    zoomIn.addEventListener('click', function () { zoom(0.5, width / 2); });
    zoomOut.addEventListener('click', function () { zoom(2, width / 2); });
    reset.addEventListener('click', function () { view.lo = 0; view.hi = end; requestDraw(); });
    window.addEventListener('resize', function () { size(); requestDraw(); });
    size();
    draw();
    canvas.setAttribute('data-drawn', String(ops.invoke.length));
  }

  // ---------- node logs, raw result ----------
  function renderLogs() {
    if (!data.nodeLogs.length) return;
    var s = section('Node logs', 'logs');
    var list = el('ul');
    data.nodeLogs.forEach(function (n) {
      var item = el('li', null, [el('strong', null, n.node), ': ']);
      if (!n.files.length) appendAll(item, el('span', 'muted', 'no log files'));
      n.files.forEach(function (f, i) {
        var a = el('a', null, f.split('/').pop());
        // Relative links only (page-data.ts filters them); each segment is encoded.
        a.setAttribute('href', f.split('/').map(encodeURIComponent).join('/'));
        if (i > 0) item.appendChild(document.createTextNode(', '));
        item.appendChild(a);
      });
      list.appendChild(item);
    });
    s.appendChild(list);
  }

  function renderRaw() {
    var s = section('Checker result', 'raw');
    var details = el('details', null, el('summary', null, 'The checker’s full result (JSON)'));
    details.appendChild(el('pre', null, data.checkerJson));
    s.appendChild(details);
  }

  function resizeCharts() {
    charts.forEach(function (c) { c.chart.setSize({ width: chartWidth(c.parent), height: c.chart.height }); });
  }

  var started = performance.now();
  var parts = { header: renderHeader, anomaly: renderAnomalies, performance: renderPerformance, clock: renderClock, timeline: renderTimeline, logs: renderLogs, raw: renderRaw };
  var partMs = {};
  Object.keys(parts).forEach(function (name) {
    var part = parts[name], t = performance.now();
    try {
      part();
      partMs[name] = Math.round(performance.now() - t);
    } catch (err) {
      // One broken part must not hide the rest of the report.
      root.appendChild(el('div', 'warn', 'This part of the report failed to draw: ' + (err && err.message ? err.message : String(err))));
      document.body.setAttribute('data-render-errors', String(Number(document.body.getAttribute('data-render-errors') || 0) + 1));
    }
  });
  window.addEventListener('resize', resizeCharts);
  requestAnimationFrame(function () {
    // Read by the browser tests and bench/report.ts.
    window.faultlineRenderMs = performance.now() - started;
    window.faultlinePartMs = partMs;
    document.body.setAttribute('data-rendered', 'true');
  });
})();
