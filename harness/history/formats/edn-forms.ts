/**
 * Finds where the EDN forms in a text begin and end, and checks the structure
 * (brackets balanced and matched, strings closed, maps with an even number of
 * forms). edn-data turns a form into a value but reports no positions and
 * accepts some broken input silently; this scan gives every op its line and
 * turns broken structure into an error naming the line.
 *
 * Not a full EDN reader: atoms (numbers, keywords, symbols) are only delimited
 * here, and edn-data reads them.
 */

import { MAX_NESTING } from '../json.js';

export type FormKind = 'vector' | 'list' | 'map' | 'set' | 'string' | 'atom' | 'tagged';

/** One form: text.slice(start, end), starting on `line` (1-based). */
export interface FormSpan {
  kind: FormKind;
  start: number;
  end: number;
  line: number;
}

/**
 * The forms at the top level, and the forms directly inside the first of them
 * (the ops, when a history is one vector). Forms dropped with #_ are left out.
 */
export interface FormScan {
  top: FormSpan[];
  inner: FormSpan[];
}

/** Broken EDN structure; `line` is 1-based within the scanned text. */
export class EdnSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = 'EdnSyntaxError';
    this.line = line;
  }
}

interface OpenCollection {
  kind: 'vector' | 'list' | 'map' | 'set';
  close: string;
  start: number;
  line: number;
  /** Complete forms inside so far (a map needs an even count). */
  count: number;
}

interface Prefix {
  start: number;
  line: number;
  discard: boolean;
}

/** A history vector, an op map, then a value nested up to MAX_NESTING levels. */
const DEFAULT_MAX_DEPTH = MAX_NESTING + 2;

const CLOSERS: Record<string, string> = { '[': ']', '(': ')', '{': '}' };
const KIND_OF: Record<string, OpenCollection['kind']> = { '[': 'vector', '(': 'list', '{': 'map' };

function isDelimiter(c: string): boolean {
  return (
    c === ' ' ||
    c === ',' ||
    c === '\n' ||
    c === '\r' ||
    c === '\t' ||
    c === '\f' ||
    c === '[' ||
    c === ']' ||
    c === '(' ||
    c === ')' ||
    c === '{' ||
    c === '}' ||
    c === '"' ||
    c === ';'
  );
}

/**
 * Scans EDN text.
 * Returns the top-level forms and the forms directly inside the first; throws
 * EdnSyntaxError for unbalanced or mismatched brackets, an unclosed string,
 * a map with an odd number of forms, a tag with nothing after it, or
 * collections nested more than `maxDepth` levels deep.
 */
export function scanEdn(text: string, maxDepth = DEFAULT_MAX_DEPTH): FormScan {
  const scan: FormScan = { top: [], inner: [] };
  const stack: OpenCollection[] = [];
  // Tags (#inst) and discards (#_) at each depth, innermost last, waiting for the form they apply to.
  const prefixes: Prefix[][] = [];
  let line = 1;

  const complete = (kind: FormKind, start: number, end: number, startLine: number): void => {
    const depth = stack.length;
    const pending = prefixes[depth];
    for (let prefix = pending?.pop(); prefix; prefix = pending?.pop()) {
      // A discarded form counts for nothing; any outer prefix waits for the next form.
      if (prefix.discard) return;
      start = prefix.start;
      startLine = prefix.line;
      kind = 'tagged';
    }
    const span: FormSpan = { kind, start, end, line: startLine };
    const parent = stack[depth - 1];
    if (parent) parent.count += 1;
    if (depth === 0) scan.top.push(span);
    else if (depth === 1 && scan.top.length === 0) scan.inner.push(span);
  };
  const addPrefix = (prefix: Prefix): void => {
    (prefixes[stack.length] ??= []).push(prefix);
  };

  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line += 1;
      i += 1;
    } else if (c === ' ' || c === ',' || c === '\r' || c === '\t' || c === '\f') {
      i += 1;
    } else if (c === ';') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (c === '"') {
      const startLine = line;
      const start = i;
      i += 1;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i += 1; // the escaped character cannot end the string
        if (text[i] === '\n') line += 1;
        i += 1;
      }
      if (i >= text.length) throw new EdnSyntaxError('string is never closed', startLine);
      i += 1;
      complete('string', start, i, startLine);
    } else if (c === '[' || c === '(' || c === '{' || (c === '#' && text[i + 1] === '{')) {
      // edn-data reads forms recursively: refuse depths that would overflow its stack.
      if (stack.length >= maxDepth) throw new EdnSyntaxError(`values nest more than ${maxDepth - 2} levels deep`, line);
      const set = c === '#';
      const open = set ? '{' : c;
      stack.push({ kind: set ? 'set' : KIND_OF[open]!, close: CLOSERS[open]!, start: i, line, count: 0 });
      i += set ? 2 : 1;
    } else if (c === ']' || c === ')' || c === '}') {
      const open = stack.pop();
      if (!open) throw new EdnSyntaxError(`unexpected "${c}" with nothing open`, line);
      if (open.close !== c) {
        throw new EdnSyntaxError(
          `expected "${open.close}" to close the ${open.kind} opened on line ${open.line}, found "${c}"`,
          line,
        );
      }
      if (prefixes[stack.length + 1]?.length) throw new EdnSyntaxError(`a tag or #_ has no form before "${c}"`, line);
      if (open.kind === 'map' && open.count % 2 !== 0) {
        throw new EdnSyntaxError('map has a key without a value', open.line);
      }
      i += 1;
      complete(open.kind, open.start, i, open.line);
    } else if (c === '#' && text[i + 1] === '_') {
      addPrefix({ start: i, line, discard: true });
      i += 2;
    } else {
      // An atom; a character literal (\x) takes the character after the backslash whatever it is.
      const start = i;
      if (c === '\\') i += 2;
      else i += 1;
      while (i < text.length && !isDelimiter(text[i]!)) i += 1;
      if (c === '#' && text[start + 1] !== '#') {
        // A tag such as #inst: it applies to the next form.
        addPrefix({ start, line, discard: false });
      } else {
        complete('atom', start, i, line);
      }
    }
  }
  const open = stack.at(-1);
  if (open) throw new EdnSyntaxError(`the ${open.kind} opened here is never closed`, open.line);
  const dangling = prefixes[0]?.[0];
  if (dangling) throw new EdnSyntaxError('a tag or #_ has no form after it', dangling.line);
  return scan;
}
