/**
 * faultline's own history format: JSON Lines, one op object per line (see
 * DESIGN.md). Blank lines are skipped. Every other line must be a JSON object
 * with a valid type, process and f; index and time are optional here (read.ts
 * fills them), so histories converted from other tools read too.
 *
 * A torn last line (no newline after it, starts with `{` but is not valid
 * JSON) is what the writer leaves when the harness is killed mid-write (see
 * ../writer.ts): it is dropped with a warning, so the rest of the history can
 * still be checked.
 */
import { UserError } from '../errors.js';
import { MAX_NESTING, nestedDeeperThan } from '../json.js';
import type { Json } from '../op.js';
import { OpFieldError, opFromFields, type ReadOps } from './op-fields.js';

/**
 * Parses JSONL text.
 * Returns the ops, their line numbers, and a warning when a torn last line
 * was dropped; throws UserError naming `path:line` for any other line that is
 * not JSON, not an object, not a valid op, or nests values more than
 * MAX_NESTING levels deep.
 */
export function parseJsonl(text: string, path: string): ReadOps {
  const result: ReadOps = { ops: [], lines: [], warnings: [] };
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
      if (lastLine && line.startsWith('{')) {
        result.warnings.push(
          `${where}: dropped the last line: it is cut off (the writer was probably killed mid-write)`,
        );
        break;
      }
      throw new UserError(`not valid JSON: ${(err as Error).message}`, { where, cause: err });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UserError('expected one op object per line', { where });
    }
    // Each level takes at least one character: a short line cannot be too deep.
    if (line.length > MAX_NESTING && nestedDeeperThan(parsed, MAX_NESTING + 1)) {
      throw new UserError(`a value nests more than ${MAX_NESTING} levels deep`, { where });
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
