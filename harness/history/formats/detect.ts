/**
 * Tells a history's format from its content (not its file name):
 * - JSONL when the first non-blank line starts with `{"`;
 * - a JSON array of op objects (elle-cli's histories) when the text starts
 *   with `[` and then `{"`;
 * - a Jepsen log / history.txt when some line is an op line
 *   (`3\t:invoke\t:cas\t[3 0]`, or with spaces, possibly after a log prefix);
 * - EDN when the first thing after blank lines and `;` comments is `[`, `(`,
 *   `{` or `#`;
 * - an empty (or blank) text is an empty JSONL history.
 */
import { UserError } from '../errors.js';
import { matchOpLine } from './jepsen-log.js';

export type ConcreteFormat = 'jsonl' | 'json-array' | 'edn' | 'jepsen-log';

/**
 * Returns the detected format; throws UserError naming the file when the
 * content fits none (then the user can pass --format).
 */
export function detectFormat(text: string, path: string): ConcreteFormat {
  const firstLine = text
    .split('\n', 50)
    .map((line) => line.trim())
    .find((line) => line !== '');
  if (firstLine === undefined) return 'jsonl';
  if (/^\{\s*"/.test(firstLine)) return 'jsonl';
  if (/^\s*\[\s*\{\s*"/.test(text)) return 'json-array';
  if (hasOpLine(text)) return 'jepsen-log';
  const firstCode = skipBlankAndComments(text);
  if (firstCode === '' || /^[[({#]/.test(firstCode)) return 'edn';
  throw new UserError(
    'cannot tell the history format (not JSON Lines, a JSON array, Jepsen EDN or a Jepsen log); pass --format',
    {
      where: path,
    },
  );
}

/**
 * Most logs separate columns with tabs, and only lines holding a tab can be
 * such op lines: jump from tab to tab first. Then look at every line for the
 * space-separated kind (older Jepsen).
 */
function hasOpLine(text: string): boolean {
  let tab = text.indexOf('\t');
  while (tab !== -1) {
    const start = text.lastIndexOf('\n', tab) + 1;
    let end = text.indexOf('\n', tab);
    if (end === -1) end = text.length;
    if (matchOpLine(text.slice(start, end))) return true;
    tab = text.indexOf('\t', end);
  }
  return text.split('\n').some((line) => matchOpLine(line) !== undefined);
}

/** The text from its first character that is not blank and not in a `;` comment. */
function skipBlankAndComments(text: string): string {
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) i += 1;
    else if (text[i] === ';') {
      const newline = text.indexOf('\n', i);
      i = newline === -1 ? text.length : newline + 1;
    } else break;
  }
  return text.slice(i);
}
