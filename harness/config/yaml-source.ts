/**
 * YAML (or JSON) text parsed for validation with line numbers: config files
 * and suite files are read through this, so a problem names `file:line`.
 */
import { type Document, LineCounter, parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { type KeyPath, SchemaError } from './zod.js';

export interface YamlSource {
  /** The document as plain data; keys whose value is null (YAML's empty value) are left out. */
  value: unknown;
  /** `where:line` of the value at `keyPath` (or of its nearest existing parent); `where` when unknown. */
  lineOf(keyPath: KeyPath): string;
}

/** How deeply a config may nest (real ones nest 4 or 5 levels; target and fault options a few more). */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Parses `text`; `where` names it in messages. Throws UserError naming
 * `where:line` for a syntax error (duplicate keys included) or nesting the
 * parser cannot follow; for text that is not valid JSON when `where` ends
 * in .json; for an alias that cannot be resolved (or an alias "bomb"); and,
 * at the key's line, for a value that contains itself, one nested deeper
 * than MAX_CONFIG_DEPTH, a value a YAML tag made into something else than
 * JSON, and a reserved key (see plainValue).
 */
export function parseYamlSource(text: string, where: string): YamlSource {
  const lineCounter = new LineCounter();
  // logLevel error: what yaml would print as a process warning (a key that is a list) is judged by the schema instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    // The YAML parser is recursive: it gives up (with this message) on structures nested thousands deep.
    const message = /Maximum call stack/.test(syntax.message)
      ? `nests too deeply to read (at most ${MAX_CONFIG_DEPTH} levels are allowed)`
      : `syntax error: ${syntax.message.split('\n')[0]}`;
    throw new UserError(message, { where: line ? `${where}:${line}` : where });
  }
  if (where.endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new UserError(`not valid JSON: ${(err as Error).message}`, { where });
    }
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias to an anchor not yet set, or an alias "bomb" (aliases of aliases, past 100 copies).
    throw new UserError(`cannot read: ${(err as Error).message}`, { where, cause: err });
  }
  const lineOf = (keyPath: KeyPath) => withLine(where, doc, lineCounter, keyPath);
  try {
    return { value: plainValue(js ?? {}), lineOf };
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    throw new UserError(err.message, { where: lineOf(err.path), cause: err });
  }
}

function withLine(where: string, doc: Document, lines: LineCounter, keyPath: KeyPath): string {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true);
    const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    if (offset !== undefined) return `${where}:${lines.linePos(offset).line}`;
  }
  return where;
}

/** Keys no option has, that JavaScript objects treat specially (zod's records drop `__proto__` silently). */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A copy of the parsed document with keys whose value is null (YAML's empty
 * value) dropped, so they read as absent. Throws SchemaError at the key path
 * of a value that contains itself (a YAML alias inside its own anchor, which
 * toJS turns into a cycle), of one nested deeper than MAX_CONFIG_DEPTH, of a
 * value a YAML tag made into something else than JSON (a Set, a Date, bytes),
 * and of a reserved key (never an option: reported as unknown).
 */
function plainValue(value: unknown, at: Array<string | number> = [], ancestors = new Set<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) throw new SchemaError(at, 'refers to itself (a YAML alias used inside its own anchor)');
  if (at.length >= MAX_CONFIG_DEPTH) throw new SchemaError(at, `nests more than ${MAX_CONFIG_DEPTH} levels deep`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    // A YAML tag such as !!set, !!binary or !!timestamp: faultline's options are mappings, lists and scalars.
    const kind = (value as object).constructor?.name ?? 'object';
    throw new SchemaError(at, `expected a mapping, a list or a plain value, got a ${kind} (a YAML !! tag)`);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => plainValue(v, [...at, i], ancestors));
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (RESERVED_KEYS.has(key)) throw new SchemaError([...at, key], 'unknown key (no option has this name)');
      if (v !== null && v !== undefined) copy[key] = plainValue(v, [...at, key], ancestors);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}
