/** JSON helpers shared by the models: a canonical text (object keys sorted) and deep equality. */
import type { Json } from './op.js';

/** JSON text with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
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
