/** JSON helpers shared by the models: a canonical text (object keys sorted) and deep equality. */
import type { Json } from './op.js';

/**
 * How deeply values in a history file may nest. Real values nest a few levels
 * (a transaction is a list of [f k v] lists); the readers refuse deeper ones
 * with an error naming the line, so that nothing downstream (a report, a
 * model written recursively) can overflow the stack on them.
 */
export const MAX_NESTING = 100;

/**
 * True when `value` nests arrays or objects more than `limit` levels deep
 * (a scalar is 0 levels, [1] is 1). Iterative: any depth is safe to ask about.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.value === null || typeof item.value !== 'object') continue;
    const depth = item.depth + 1;
    if (depth > limit) return true;
    for (const child of Array.isArray(item.value) ? item.value : Object.values(item.value)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth });
    }
  }
  return false;
}

/** Levels handled by plain recursion (fast for the values models see); deeper subtrees go iteratively. */
const RECURSION_LIMIT = 64;

/** JSON text with object keys sorted, so equal values give equal text. Any depth (never overflows the stack). */
export function canonicalJson(value: Json | undefined): string {
  return canonical(value, 0);
}

function canonical(value: Json | undefined, depth: number): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (depth >= RECURSION_LIMIT) return canonicalIterative(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, depth + 1)).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k], depth + 1)}`).join(',')}}`;
}

/** The same text as `canonical`, with an explicit stack: pieces of text and values still to write. */
function canonicalIterative(root: Json): string {
  const out: string[] = [];
  const todo: Array<{ text: string } | { value: Json | undefined }> = [{ value: root }];
  for (let item = todo.pop(); item; item = todo.pop()) {
    if ('text' in item) {
      out.push(item.text);
      continue;
    }
    const { value } = item;
    if (value === undefined) out.push('undefined');
    else if (value === null || typeof value !== 'object') out.push(JSON.stringify(value));
    else {
      // Pushed in reverse: the last piece pushed is written first.
      const entries: Array<[string | undefined, Json | undefined]> = Array.isArray(value)
        ? value.map((v) => [undefined, v])
        : Object.keys(value)
            .sort()
            .map((k) => [k, value[k]]);
      todo.push({ text: Array.isArray(value) ? ']' : '}' });
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i]!;
        todo.push({ value: child });
        if (key !== undefined) todo.push({ text: `${JSON.stringify(key)}:` });
        if (i > 0) todo.push({ text: ',' });
      }
      todo.push({ text: Array.isArray(value) ? '[' : '{' });
    }
  }
  return out.join('');
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return canonicalJson(a) === canonicalJson(b);
}

/**
 * A state key for a JSON value (equal values, equal keys). Primitives are their
 * own key (a Map tells 5 from "5"); arrays and objects become "\u0000" and
 * their canonical text; a string that itself starts with "\u0000" is quoted, so
 * it cannot collide with those.
 */
export function jsonKey(value: Json | undefined): string | number | boolean | null {
  if (value === undefined) return '\u0000undefined';
  if (typeof value === 'string') return value.startsWith('\u0000') ? `\u0000${JSON.stringify(value)}` : value;
  if (value === null || typeof value !== 'object') return value;
  return `\u0000${canonicalJson(value)}`;
}

/** Short text for a value in messages. */
export function show(value: Json | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nil';
  return typeof value === 'string' ? value : canonicalJson(value);
}
