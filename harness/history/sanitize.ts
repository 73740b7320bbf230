/**
 * Values returned by clients and nemeses come from real systems and real
 * code: make them JSON before they enter the history, so the file and the
 * in-memory history agree (JSON.stringify would silently turn `undefined`
 * in an array into null, drop undefined fields, and throw on a BigInt).
 */
import type { Json } from './op.js';

const MAX_DEPTH = 64;

/**
 * Returns `value` itself when it is already plain JSON (the common case, no
 * copying), otherwise a cleaned copy: undefined fields dropped, undefined in
 * arrays becomes null, BigInt and non-finite numbers become strings, values
 * with toJSON (Date, ...) are converted, functions and symbols become null,
 * anything nested deeper than 64 levels (or cyclic) becomes "[too deep]".
 * Returns undefined only for a top-level undefined.
 */
export function sanitizeJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  return isCleanJson(value, 0) ? (value as Json) : clean(value, 0);
}

function isCleanJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v);
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(v)) return v.every((x) => x !== undefined && isCleanJson(x, depth + 1));
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in v) {
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined || !isCleanJson(x, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function clean(v: unknown, depth: number): Json {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return v.toString();
    case 'object': {
      if (v === null) return null;
      if (depth >= MAX_DEPTH) return '[too deep]';
      const withToJson = v as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return clean(withToJson.toJSON(), depth + 1);
      if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : clean(x, depth + 1)));
      if (v instanceof Map) return clean(Object.fromEntries(v), depth + 1);
      if (v instanceof Set) return clean([...v], depth + 1);
      const out: { [key: string]: Json } = {};
      for (const [key, x] of Object.entries(v)) if (x !== undefined) out[key] = clean(x, depth + 1);
      return out;
    }
    default:
      return null; // undefined inside structures, functions, symbols
  }
}
