/**
 * YAML (or JSON) text parsed for validation with line numbers: config files
 * and suite files are read through this, so a problem names `file:line`.
 */
import { type Document, LineCounter, parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import type { KeyPath } from './zod.js';

export interface YamlSource {
  /** The document as plain data; keys whose value is null (YAML's empty value) are left out. */
  value: unknown;
  /** `where:line` of the value at `keyPath` (or of its nearest existing parent); `where` when unknown. */
  lineOf(keyPath: KeyPath): string;
}

/**
 * Parses `text`; `where` names it in messages. Throws UserError naming
 * `where:line` for a syntax error (duplicate keys included), and for text
 * that is not valid JSON when `where` ends in .json.
 */
export function parseYamlSource(text: string, where: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    throw new UserError(`syntax error: ${syntax.message.split('\n')[0]}`, { where: line ? `${where}:${line}` : where });
  }
  if (where.endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new UserError(`not valid JSON: ${(err as Error).message}`, { where });
    }
  }
  return {
    value: dropNulls(doc.toJS({ maxAliasCount: 100 }) ?? {}),
    lineOf: (keyPath) => withLine(where, doc, lineCounter, keyPath),
  };
}

function withLine(where: string, doc: Document, lines: LineCounter, keyPath: KeyPath): string {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true);
    const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    if (offset !== undefined) return `${where}:${lines.linePos(offset).line}`;
  }
  return where;
}

/** Drops keys whose value is null (YAML's empty value), recursively, so they read as absent. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}
