/**
 * Small DOM helpers. Every recorded value reaches the page through text
 * nodes and attributes set one by one (never innerHTML), so a value from the
 * system under test cannot run as markup.
 */

/** A child of `el`: a node, text (numbers are shown as text), or nothing. */
export type Child = Node | string | number | null | undefined;

/** A new element with a class and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string | null,
  children?: Child | readonly Child[],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  append(node, children);
  return node;
}

/** Appends children (text as text nodes) to `node`; returns it. */
export function append<N extends Node>(node: N, children?: Child | readonly Child[]): N {
  if (children === undefined || children === null) return node;
  const list: readonly Child[] = Array.isArray(children) ? children : [children as Child];
  for (const c of list) {
    if (c === null || c === undefined) continue;
    node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A new SVG element with attributes and, optionally, text. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  text?: string | number,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** A <section> with a heading, appended to `root`. */
export function section(root: HTMLElement, title: string, id?: string): HTMLElement {
  const s = el('section', null, el('h2', null, title));
  if (id) s.id = id;
  root.appendChild(s);
  return s;
}

/** A table; columns from `numericFrom` on are right-aligned. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly Child[])[],
  numericFrom = Infinity,
): HTMLTableElement {
  const t = el('table');
  const head = el('tr');
  headers.forEach((h, i) => {
    head.appendChild(el('th', i >= numericFrom ? 'num' : null, h));
  });
  t.appendChild(el('thead', null, head));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((cell, i) => {
      tr.appendChild(el('td', i >= numericFrom ? 'num' : null, cell));
    });
    body.appendChild(tr);
  }
  t.appendChild(body);
  return t;
}

/** A small coloured square for legends. */
export function swatch(fill: string, stroke?: string): HTMLSpanElement {
  const s = el('span', 'legend-swatch');
  s.style.background = fill;
  if (stroke) s.style.border = `2px solid ${stroke}`;
  return s;
}

/** A button that calls `onClick`. */
export function button(label: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', null, label);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}
