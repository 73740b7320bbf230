/**
 * Jepsen's text histories: history.txt (`3\t:invoke\t:cas\t[3 0]`) and the op
 * lines of jepsen.log (`INFO  jepsen.util - 3\t:invoke\t:cas\t[3 0]`). The
 * columns are process (a number or :nemesis), type, f and value as EDN, then
 * optionally the error as Jepsen printed it (EDN when it reads as one form,
 * else kept as text).
 *
 * Columns are separated by tabs (what Jepsen writes today) or by spaces
 * (older Jepsen logged an op as its fields joined by spaces, and a log may
 * hold both kinds of line). With tabs a column may hold spaces (`[3 0]`);
 * with spaces f and value are the first two EDN forms after the type, and
 * the rest of the line is the error.
 *
 * A line is an op line when it holds `PROCESS<TAB>:WORD<TAB>`, or, with
 * spaces, `PROCESS :TYPE :F` at the start of the line or after a log prefix
 * ending in "- " or ": ", TYPE being one of the four op types (so that log
 * chatter is not taken for ops). Every other line (log chatter, blank lines)
 * is skipped. An op line with a bad type or unreadable value is an error,
 * not skipped. These formats carry no monotonic time: read.ts numbers the
 * ops in order instead.
 */
import { UserError } from '../errors.js';
import type { Json } from '../op.js';
import { EdnSyntaxError, type FormSpan, scanEdn } from './edn-forms.js';
import { ednFormToJson, simpleAtom } from './edn-value.js';
import { OpFieldError, opFromFields, type ReadOps, show } from './op-fields.js';

/**
 * A tab-separated op line: the process, the type (without its colon), and the rest (f, value, error).
 * `s` (here and below): the rest may hold any character (a U+2028 in a value, a CR of a CRLF file);
 * without it such a line would not match, and its op would be skipped as chatter.
 */
const TAB_OP_LINE = /(?:^|\s)(\d+|:nemesis)\t:([^\s]+)\t(.*)$/s;

/** A space-separated op line (see the module comment); the rest starts with f, a keyword. */
const SPACE_OP_LINE = /(?:^\s*|\s-\s+|:\s+)(\d+|:nemesis)[\t ]+:(invoke|ok|fail|info)[\t ]+(:\S.*)$/s;

const COLUMNS_HINT = 'expected process, type, f and value separated by tabs or spaces';

/** The columns of an op line: process and type as text, and the rest of the line; undefined for other lines. */
export function matchOpLine(line: string): { process: string; type: string; rest: string } | undefined {
  const match = TAB_OP_LINE.exec(line) ?? SPACE_OP_LINE.exec(line);
  return match ? { process: match[1]!, type: match[2]!, rest: match[3]! } : undefined;
}

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
    const match = matchOpLine(lines[i]!.replace(/\r$/, ''));
    if (!match) continue;
    const where = `${path}:${i + 1}`;
    try {
      result.ops.push(opFromLine(match.process, match.type, match.rest));
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
  const columns = rest.includes('\t') ? tabColumns(rest) : spaceColumns(rest);
  const fields = new Map<string, Json>([
    ['process', process === ':nemesis' ? 'nemesis' : Number(process)],
    ['type', type],
    ['f', readColumn(columns.f, 'f')],
    ['value', readColumn(columns.value, 'value')],
  ]);
  if (columns.error !== '') fields.set('error', errorColumn(columns.error));
  return opFromFields(fields);
}

interface Columns {
  f: string;
  value: string;
  /** '' when the line has no error column. */
  error: string;
}

function tabColumns(rest: string): Columns {
  const columns = rest.split('\t');
  if (columns.length < 2) throw new OpFieldError(COLUMNS_HINT);
  return { f: columns[0]!, value: columns[1]!, error: columns.slice(2).join('\t').trim() };
}

/** f and value are the first two EDN forms of the rest; what follows them is the error. */
function spaceColumns(rest: string): Columns {
  const [f, value] = firstTwoForms(rest);
  return {
    f: rest.slice(f.start, f.end),
    value: rest.slice(value.start, value.end),
    error: rest.slice(value.end).trim(),
  };
}

/**
 * The first two EDN forms of `text`. The error after them is free text that
 * may not scan as EDN (an unclosed quote), so when the whole text does not
 * scan, the shortest prefix ending at a space that holds exactly two forms
 * is taken. Throws OpFieldError when there are not two forms.
 */
function firstTwoForms(text: string): [FormSpan, FormSpan] {
  let problem: unknown;
  try {
    const { top } = scanEdn(text);
    if (top.length >= 2) return [top[0]!, top[1]!];
    throw new OpFieldError(COLUMNS_HINT);
  } catch (err) {
    if (!(err instanceof EdnSyntaxError)) throw err;
    problem = err;
  }
  for (let end = text.search(/\s/); end !== -1; end = nextSpace(text, end + 1)) {
    try {
      const { top } = scanEdn(text.slice(0, end));
      if (top.length === 2) return [top[0]!, top[1]!];
      if (top.length > 2) break;
    } catch {
      // Not complete yet: a longer prefix may be.
    }
  }
  throw new OpFieldError(`cannot read f and value in ${show(text)} as EDN: ${(problem as Error).message}`);
}

function nextSpace(text: string, from: number): number {
  const found = text.slice(from).search(/\s/);
  return found === -1 ? -1 : from + found;
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
