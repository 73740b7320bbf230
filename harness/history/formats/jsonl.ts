/**
 * faultline's own history format: JSON Lines, one op object per line (see
 * DESIGN.md). Blank lines are skipped. Every other line must be a JSON object
 * with a valid type, process and f; index and time are optional here (read.ts
 * fills them), so histories converted from other tools read too.
 */
import { UserError } from '../../errors.js';
import type { Json } from '../op.js';
import { OpFieldError, opFromFields, type ReadOps } from './op-fields.js';

/**
 * Parses JSONL text.
 * Returns the ops and their line numbers; throws UserError naming `path:line`
 * for a line that is not JSON, not an object, or not a valid op. A last line
 * that is cut off (no newline, not valid JSON) gets a hint that the writer may
 * have crashed mid-line.
 */
export function parseJsonl(text: string, path: string): ReadOps {
  const result: ReadOps = { ops: [], lines: [] };
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const lastLine = end === -1;
    if (lastLine) end = text.length;
    lineNumber += 1;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    const where = `${path}:${lineNumber}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      const hint = lastLine ? ' (the last line is cut off: did the writer crash? remove it to check the rest)' : '';
      throw new UserError(`not valid JSON: ${(err as Error).message}${hint}`, { where, cause: err });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UserError('expected one op object per line', { where });
    }
    try {
      result.ops.push(opFromFields(new Map(Object.entries(parsed as Record<string, Json>))));
    } catch (err) {
      if (err instanceof OpFieldError) throw new UserError(err.message, { where, cause: err });
      throw err;
    }
    result.lines.push(lineNumber);
  }
  return result;
}
