/**
 * Mutations of a file's bytes for the fuzz suite: random bytes, cuts,
 * repeats and line shuffles, plus insertions of what readers find hard
 * (invalid UTF-8, escape sequences, brackets, huge numbers, deep nesting).
 * Positions are fractions of the length, so one mutation applies to any file.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'set-byte'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number };

const encode = (text: string) => new TextEncoder().encode(text);

/** Snippets that break readers in interesting ways. */
const HOSTILE_SNIPPETS: readonly Uint8Array[] = [
  new Uint8Array([0xff]),
  new Uint8Array([0xc3]), // a lead byte with no continuation
  new Uint8Array([0xed, 0xa0, 0x80]), // a UTF-16 surrogate written as UTF-8
  new Uint8Array([0xc0, 0xaf]), // an overlong "/"
  new Uint8Array([0x00]),
  ...[
    '\u001b[2J\u001b]0;pwned\u0007',
    '\u009b31m',
    '\r',
    '\u2028',
    '"',
    '\\',
    '{',
    '}',
    '[',
    ']',
    '(',
    '#_',
    '#{',
    '#inst ',
    ';',
    ',',
    ':',
    '\t',
    '\n',
    '\t:invoke\t',
    'nil',
    '1e400',
    '-1',
    '9007199254740993',
    '"__proto__":',
    ':constructor ',
    `${'['.repeat(3000)}${']'.repeat(3000)}`,
    `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  ].map(encode),
];

const at = fc.double({ min: 0, max: 1, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set-byte' as const), at, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at,
    bytes: fc.oneof(fc.constantFrom(...HOSTILE_SNIPPETS), fc.uint8Array({ minLength: 1, maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
  fc.record({
    kind: fc.constant('repeat' as const),
    at,
    length: fc.integer({ min: 1, max: 40 }),
    times: fc.integer({ min: 2, max: 200 }),
  }),
  fc.record({ kind: fc.constant('delete-line' as const), line: at }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: at }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: at, b: at }),
);

/** One to three mutations. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** The file with the mutation applied (a new array). */
export function applyMutation(file: Uint8Array, m: Mutation): Uint8Array {
  const pos = (f: number, length = file.length) => Math.min(length, Math.floor(f * (length + 1)));
  switch (m.kind) {
    case 'set-byte': {
      if (file.length === 0) return file;
      const copy = file.slice();
      copy[Math.min(file.length - 1, pos(m.at))] = m.byte;
      return copy;
    }
    case 'insert': {
      const i = pos(m.at);
      return concat(file.subarray(0, i), m.bytes, file.subarray(i));
    }
    case 'delete': {
      const i = pos(m.at);
      return concat(file.subarray(0, i), file.subarray(i + m.length));
    }
    case 'truncate':
      return file.slice(0, pos(m.at));
    case 'repeat': {
      const i = pos(m.at);
      const piece = file.subarray(i, i + m.length);
      return concat(file.subarray(0, i), ...Array.from({ length: m.times }, () => piece), file.subarray(i + m.length));
    }
    default:
      return applyLineMutation(file, m);
  }
}

function applyLineMutation(
  file: Uint8Array,
  m: Extract<Mutation, { kind: 'delete-line' | 'duplicate-line' | 'swap-lines' }>,
): Uint8Array {
  const lines = splitLines(file);
  if (lines.length === 0) return file;
  const index = (f: number) => Math.min(lines.length - 1, Math.floor(f * lines.length));
  if (m.kind === 'delete-line') lines.splice(index(m.line), 1);
  else if (m.kind === 'duplicate-line') lines.splice(index(m.line), 0, lines[index(m.line)]!);
  else {
    const [a, b] = [index(m.a), index(m.b)];
    [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  }
  return concat(...lines);
}

/** Lines with their newline kept (the last may have none). */
function splitLines(file: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < file.length; i += 1) {
    if (file[i] === 0x0a) {
      lines.push(file.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < file.length) lines.push(file.subarray(start));
  return lines;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A short description of a mutation for a failure message. */
export function describeMutation(m: Mutation): string {
  if (m.kind === 'insert') {
    const shown = Buffer.from(m.bytes).toString('latin1');
    return `insert ${JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40)}...` : shown)} at ${m.at.toFixed(3)}`;
  }
  return JSON.stringify(m);
}
