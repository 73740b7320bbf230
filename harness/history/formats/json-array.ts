/**
 * elle-cli's JSON histories: the whole file is one JSON array of op objects
 * (`[{"index":0,"process":0,"type":"invoke","value":[["append",1,1]]}, ...]`).
 * Fields as in JSON Lines (see op-fields.ts), except that f may be missing
 * (or null), as in Elle's transactional histories: it is then "txn". A
 * missing time is settled by read.ts (the op's position when no op has one).
 *
 * Errors name the line where the offending element starts; a scan of the
 * text (strings and nesting) finds where each element begins.
 */
import { UserError } from '../errors.js';
import type { Json } from '../op.js';
import { OpFieldError, opFromFields, type ReadOps } from './op-fields.js';

/** The f an op without one gets: Elle's histories leave transactions unnamed. */
export const DEFAULT_F = 'txn';

/**
 * Parses a JSON array history.
 * Returns the ops and the line where each starts; throws UserError naming
 * `path:line` when the text is not JSON, not an array, or an element is not
 * a valid op.
 */
export function parseJsonArray(text: string, path: string): ReadOps {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? `${path}:${lineAt(text, Number(position[1]))}` : path;
    throw new UserError(`not valid JSON: ${message}`, { where, cause: err });
  }
  if (!Array.isArray(parsed)) {
    throw new UserError('expected a JSON array of op objects', { where: `${path}:${lineAt(text, 0)}` });
  }
  const lines = elementLines(text);
  const result: ReadOps = { ops: [], lines: [], warnings: [] };
  parsed.forEach((element: unknown, i) => {
    const line = lines[i] ?? 1;
    const where = `${path}:${line}`;
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      throw new UserError(`element ${i} of the array is not an op object`, { where });
    }
    const fields = new Map(Object.entries(element as Record<string, Json>));
    if (fields.get('f') === undefined || fields.get('f') === null) fields.set('f', DEFAULT_F);
    try {
      result.ops.push(opFromFields(fields));
    } catch (err) {
      if (err instanceof OpFieldError) throw new UserError(err.message, { where, cause: err });
      throw err;
    }
    result.lines.push(line);
  });
  return result;
}

/** The 1-based line of character `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The line where each element of the top-level array starts (the text is known to be valid JSON). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      else if (c === 10) line++;
      continue;
    }
    if (c === 10) {
      line++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (depth === 1 && c === 44 /* , */) {
      expectElement = true;
      continue;
    }
    if (depth === 1 && expectElement && c !== 93 /* ] */) {
      lines.push(line);
      expectElement = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth === 1) expectElement = true;
    } else if (c === 93 || c === 125) depth--;
  }
  return lines;
}
