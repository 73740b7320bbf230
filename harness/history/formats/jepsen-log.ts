/**
 * Jepsen's text histories: history.txt (`3\t:invoke\t:cas\t[3 0]`) and the op
 * lines of jepsen.log (`INFO  jepsen.util - 3\t:invoke\t:cas\t[3 0]`). Columns
 * are tab-separated: process (a number or :nemesis), type, f and value as
 * EDN, then optionally the error as Jepsen printed it (EDN when it reads as
 * one form, else kept as text).
 *
 * A line is an op line when it holds `PROCESS<TAB>:WORD<TAB>`; every other
 * line (log chatter, blank lines) is skipped. An op line with a bad type or
 * unreadable value is an error, not skipped. These formats carry no
 * monotonic time: read.ts numbers the ops in order instead.
 */
import { UserError } from '../errors.js';
import type { Json } from '../op.js';
import { EdnSyntaxError, scanEdn } from './edn-forms.js';
import { ednFormToJson, simpleAtom } from './edn-value.js';
import { OpFieldError, opFromFields, type ReadOps, show } from './op-fields.js';

/**
 * Matches an op line: the process, the type (without its colon), and the rest (f, value, error).
 * `s`: the rest may hold any character (a U+2028 in a value, a CR of a CRLF file); without it
 * such a line would not match, and its op would be skipped as chatter.
 */
export const OP_LINE = /(?:^|\s)(\d+|:nemesis)\t:([^\s]+)\t(.*)$/s;

/**
 * Parses history.txt or a Jepsen log.
 * Returns the ops of the op lines and their line numbers; throws UserError
 * naming `path:line` for an op line that cannot be read, or naming the file
 * when it has no op line at all.
 */
export function parseJepsenLog(text: string, path: string): ReadOps {
  const result: ReadOps = { ops: [], lines: [], warnings: [] };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const match = OP_LINE.exec(lines[i]!.replace(/\r$/, ''));
    if (!match) continue;
    const where = `${path}:${i + 1}`;
    try {
      result.ops.push(opFromLine(match[1]!, match[2]!, match[3]!));
    } catch (err) {
      if (err instanceof OpFieldError) throw new UserError(err.message, { where, cause: err });
      throw err;
    }
    result.lines.push(i + 1);
  }
  if (text.trim() !== '' && result.ops.length === 0) {
    throw new UserError('no Jepsen op lines found (expected lines like "3\\t:invoke\\t:cas\\t[3 0]")', { where: path });
  }
  return result;
}

function opFromLine(process: string, type: string, rest: string): ReturnType<typeof opFromFields> {
  const columns = rest.split('\t');
  if (columns.length < 2) throw new OpFieldError('expected process, type, f and value separated by tabs');
  const fields = new Map<string, Json>([
    ['process', process === ':nemesis' ? 'nemesis' : Number(process)],
    ['type', type],
    ['f', readColumn(columns[0]!, 'f')],
    ['value', readColumn(columns[1]!, 'value')],
  ]);
  const error = columns.slice(2).join('\t').trim();
  if (error !== '') fields.set('error', errorColumn(error));
  return opFromFields(fields);
}

/** One column that must hold exactly one EDN form. Throws OpFieldError otherwise. */
function readColumn(text: string, name: string): Json {
  const trimmed = text.trim();
  const simple = simpleAtom(trimmed);
  if (simple !== undefined) return simple;
  try {
    if (scanEdn(trimmed).top.length !== 1)
      throw new OpFieldError(`${name} column ${show(trimmed)} is not one EDN value`);
    return ednFormToJson(trimmed);
  } catch (err) {
    if (err instanceof OpFieldError) throw err;
    const reason = err instanceof EdnSyntaxError || err instanceof Error ? err.message : String(err);
    throw new OpFieldError(`cannot read the ${name} column ${show(trimmed)} as EDN: ${reason}`);
  }
}

/** Jepsen prints the error with `str`, so it may be EDN (:not-held) or plain words. */
function errorColumn(text: string): Json {
  try {
    if (scanEdn(text).top.length === 1) return ednFormToJson(text);
  } catch {
    // Not EDN: plain words.
  }
  return text;
}
