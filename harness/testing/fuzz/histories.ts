/**
 * Histories for the hostile-input fuzz suite (harness/cli/hostile-input.fuzz.test.ts):
 * a model history whose verdict is known by construction, and the formats
 * it is written in, as bytes.
 *
 * The model: one or more writes, then one read, every op completing before
 * the next is invoked. The only linearization is the order of the file, so
 * the history is linearizable exactly when the read returns the bytes of the
 * last write. Values are byte strings, written raw into the file: they may be
 * invalid UTF-8, and near pairs (the same bytes but one invalid byte) are
 * likely, so a reader that decodes with replacement characters (which makes
 * the two equal) is caught.
 *
 * A format is one entry of FUZZ_FORMATS: how to write the model, and the
 * mutations that keep every value as it is (reordered keys, comments, log
 * chatter, line endings). Adding a format is one more entry.
 */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import type { HistoryFormat } from '../../history/read.js';

export interface ModelOp {
  type: 'invoke' | 'ok';
  process: number;
  f: 'write' | 'read';
  /** The value's bytes; null for a read's invocation. */
  value: Uint8Array | null;
  /** Replaces the op's time in the file (text in the format's syntax): odd times must not change a verdict. */
  time?: OddNumber | undefined;
  /** Replaces the op's value in the file with a structure (the model's value no longer holds for this op). */
  shape?: Shape | undefined;
}

export interface ModelHistory {
  ops: ModelOp[];
  /** By construction (see the module comment). */
  valid: boolean;
}

/** A number as text: one a reader must handle or refuse (1e400 overflows a double). */
export type OddNumber = '-5' | '0' | '1e400' | '-1e400' | '9007199254740993' | '1.5' | '-0';

/** A value that is not a byte string: deep nesting, a map with a reserved key, an odd number. */
export type Shape =
  | { kind: 'deep'; depth: number; container: 'list' | 'map' }
  | { kind: 'number'; text: OddNumber }
  | { kind: 'proto-map' };

const bytes = (text: string) => new TextEncoder().encode(text);
const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Byte strings: arbitrary bytes, valid UTF-8 (any code point), or ASCII with escapes' troublemakers. */
const valueBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 6 }).map(bytes),
  fc.constantFrom('', 'a', '"', '\\', '\n', '\t', '\u2028', '\u001b[2J', '\u009b31m', 'é', '\u{1F600}').map(bytes),
);

/** Two values likely to collide under a lossy decoder: the same prefix and one differing (mostly invalid) byte. */
const nearPair: fc.Arbitrary<[Uint8Array, Uint8Array]> = fc
  .tuple(
    fc.string({ unit: 'grapheme-ascii', maxLength: 3 }),
    fc.integer({ min: 0x80, max: 0xff }),
    fc.integer({ min: 0x80, max: 0xff }),
  )
  .filter(([, x, y]) => x !== y)
  .map(([prefix, x, y]) => [new Uint8Array([...bytes(prefix), x]), new Uint8Array([...bytes(prefix), y])]);

const oddNumber = fc.constantFrom<OddNumber>('-5', '0', '1e400', '-1e400', '9007199254740993', '1.5', '-0');

const shape: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({
    kind: fc.constant('deep' as const),
    depth: fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1000, max: 20_000 })),
    container: fc.constantFrom('list' as const, 'map' as const),
  }),
  fc.record({ kind: fc.constant('number' as const), text: oddNumber }),
  fc.constant({ kind: 'proto-map' as const }),
);

/** A model history, its verdict known; `withOddities` also gives some ops odd times or a structured value. */
export function modelHistory(withOddities: boolean): fc.Arbitrary<ModelHistory> {
  const lastAndRead = fc.oneof(
    nearPair,
    fc.tuple(valueBytes, valueBytes),
    valueBytes.map((v): [Uint8Array, Uint8Array] => [v, v]),
  );
  const oddity = withOddities
    ? fc.option(fc.oneof(fc.record({ time: oddNumber }), fc.record({ shape })), { freq: 3 })
    : fc.constant(null);
  return fc
    .record({
      earlier: fc.array(valueBytes, { maxLength: 3 }),
      pair: lastAndRead,
      processes: fc.array(fc.nat({ max: 3 }), { minLength: 5, maxLength: 5 }),
      oddities: fc.array(oddity, { minLength: 10, maxLength: 10 }),
    })
    .map(({ earlier, pair: [last, read], processes, oddities }) => {
      const writes = [...earlier, last];
      const ops: ModelOp[] = [];
      writes.forEach((value, i) => {
        const process = processes[i % processes.length]!;
        ops.push({ type: 'invoke', process, f: 'write', value }, { type: 'ok', process, f: 'write', value });
      });
      const reader = processes[4]!;
      ops.push({ type: 'invoke', process: reader, f: 'read', value: null });
      ops.push({ type: 'ok', process: reader, f: 'read', value: read });
      ops.forEach((op, i) => {
        Object.assign(op, oddities[i % oddities.length] ?? {});
      });
      return { ops, valid: equalBytes(last, read) };
    });
}

/** True when every value the model has (no shape replaces it) is valid UTF-8. */
export function valuesAreUtf8(model: ModelHistory): boolean {
  return model.ops.every((op) => op.value === null || op.shape !== undefined || isUtf8(op.value));
}

// ------------------------------------------------------------------ writing

/** Bytes of a string value in JSON: quote and backslash escaped, control characters as \u00XX, the rest raw. */
function jsonString(value: Uint8Array): number[] {
  const out = [0x22];
  for (const b of value) {
    if (b === 0x22 || b === 0x5c) out.push(0x5c, b);
    else if (b < 0x20) out.push(...bytes(`\\u${b.toString(16).padStart(4, '0')}`));
    else out.push(b);
  }
  out.push(0x22);
  return out;
}

/** Bytes of a string value in EDN: quote, backslash and line breaks escaped, the rest raw. */
function ednString(value: Uint8Array): number[] {
  const escapes: Record<number, string> = { 34: '\\"', 92: '\\\\', 10: '\\n', 13: '\\r', 9: '\\t' };
  const out = [0x22];
  for (const b of value) out.push(...(escapes[b] === undefined ? [b] : bytes(escapes[b])));
  out.push(0x22);
  return out;
}

function jsonShape(s: Shape): string {
  if (s.kind === 'number') return s.text;
  if (s.kind === 'proto-map') return '{"__proto__":{"x":1},"constructor":2}';
  return s.container === 'list'
    ? `${'['.repeat(s.depth)}1${']'.repeat(s.depth)}`
    : `${'{"a":'.repeat(s.depth)}1${'}'.repeat(s.depth)}`;
}

function ednShape(s: Shape): string {
  if (s.kind === 'number') return s.text;
  if (s.kind === 'proto-map') return '{"__proto__" {:x 1} :constructor 2}';
  return s.container === 'list'
    ? `${'['.repeat(s.depth)}1${']'.repeat(s.depth)}`
    : `${'{:a '.repeat(s.depth)}1${'}'.repeat(s.depth)}`;
}

function concat(parts: Array<string | number[]>): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...bytes(p)] : p)));
}

/** A change to the written file that keeps every op and value as it is. */
export interface Rewrite {
  name: string;
  apply(file: Uint8Array): Uint8Array;
}

export interface FuzzFormat {
  name: string;
  /** What `faultline check --format` is given ('auto' most of the time: detection is under test too). */
  formats: readonly HistoryFormat[];
  write(model: ModelHistory, style: number): Uint8Array;
  /** Rewrites that keep every value (for the verdict property). */
  rewrites: readonly Rewrite[];
  /** False for formats without times (history.txt): odd times cannot be written. */
  hasTime: boolean;
}

const text = (file: Uint8Array) => Buffer.from(file).toString('latin1');
const fromText = (t: string) => new Uint8Array(Buffer.from(t, 'latin1'));
/** A rewrite on the file as latin1 text (one char per byte, so raw bytes survive). */
const onText = (name: string, f: (t: string) => string): Rewrite => ({
  name,
  apply: (file) => fromText(f(text(file))),
});

const lineRewrites: Rewrite[] = [
  onText('CRLF line ends', (t) => t.replace(/\n/g, '\r\n')),
  onText('blank lines', (t) => `\n\n${t.replace(/\n/g, '\n\n')}`),
  onText('no final newline', (t) => t.replace(/\n$/, '')),
];

/** One op as a JSON object (fields reversed in odd styles), as JSONL lines and elle-cli arrays write it. */
function jsonObject(op: ModelOp, i: number, style: number): Uint8Array {
  const value = op.shape ? jsonShape(op.shape) : op.value === null ? 'null' : jsonString(op.value);
  const fields: Array<[string, string | number[]]> = [
    ['index', String(i)],
    ['time', op.time ?? String(1000 * (i + 1))],
    ['type', `"${op.type}"`],
    ['process', String(op.process)],
    ['f', `"${op.f}"`],
    ['value', value],
  ];
  if (style % 2 === 1) fields.reverse();
  return concat(['{', ...fields.flatMap(([k, v], j) => [j > 0 ? ',' : '', `"${k}":`, v]), '}']);
}

const jsonl: FuzzFormat = {
  name: 'jsonl',
  formats: ['auto', 'jsonl'],
  hasTime: true,
  write(model, style) {
    return concat(model.ops.flatMap((op, i) => [[...jsonObject(op, i, style)], '\n']));
  },
  rewrites: [
    ...lineRewrites,
    onText('byte order mark', (t) => `\u00ef\u00bb\u00bf${t}`), // a UTF-8 byte order mark
    onText('spaces', (t) => t.replace(/^\{/gm, '{ ').replace(/\}$/gm, ' }\t')),
    onText('extra field', (t) => t.replace(/^\{/gm, '{"debug":{"x":[1,"}"]},')),
  ],
};

/** elle-cli's JSON: one array of op objects, on one line or one object per line. */
const jsonArray: FuzzFormat = {
  name: 'json-array',
  formats: ['auto', 'json-array'],
  hasTime: true,
  write(model, style) {
    const separator = style % 3 === 0 ? ',' : ',\n ';
    const objects = model.ops.flatMap((op, i) => [...(i > 0 ? [separator] : []), [...jsonObject(op, i, style)]]);
    return concat(['[', ...objects, ']\n']);
  },
  rewrites: [
    ...lineRewrites,
    onText('spaces', (t) => t.replace(/\{"/g, '{ "').replace(/,\n/g, ' ,\t\n')),
    onText('extra field', (t) => t.replace(/\{"/g, '{"debug":{"x":[1,"}"]},"')),
  ],
};

const edn: FuzzFormat = {
  name: 'edn',
  formats: ['auto', 'edn'],
  hasTime: true,
  write(model, style) {
    const maps = model.ops.map((op, i) => {
      const value = op.shape ? ednShape(op.shape) : op.value === null ? 'nil' : ednString(op.value);
      return concat([
        `{:index ${i}, :time ${op.time ?? String(1000 * (i + 1))}, :type :${op.type}, `,
        `:process ${op.process}, :f :${op.f}, :value `,
        value,
        '}',
      ]);
    });
    // Style: one map per line, or one vector of maps (Knossos), with commas or not.
    const joined = maps.flatMap((m, i) => [...(i > 0 ? bytes(style % 3 === 2 ? ',\n ' : '\n ') : []), ...m]);
    return style % 3 === 0 ? concat([[...joined], '\n']) : concat(['[', [...joined], ']\n']);
  },
  rewrites: [
    ...lineRewrites,
    onText('comment', (t) => `; a comment [with {brackets\n${t}`),
    onText('discarded form', (t) => t.replace(/\{:index/g, '#_ {:ignored "]"} {:index')),
    onText('extra key', (t) => t.replace(/, :type/g, ',\n  :debug [1 2 "}"] :type')),
  ],
};

const jepsenLog: FuzzFormat = {
  name: 'jepsen-log',
  formats: ['auto', 'jepsen-log'],
  hasTime: false,
  write(model) {
    const lines = model.ops.map((op) => {
      const value = op.shape ? bytes(ednShape(op.shape)) : op.value === null ? bytes('nil') : ednString(op.value);
      return concat([`${op.process}\t:${op.type}\t:${op.f}\t`, [...value], '\n']);
    });
    return concat(lines.map((l) => [...l]));
  },
  rewrites: [
    ...lineRewrites,
    onText('log prefix', (t) =>
      t
        .split('\n')
        .map((line) => (line === '' ? line : `INFO  jepsen.util - ${line}`))
        .join('\n'),
    ),
    onText('log chatter', (t) => `2024-01-01 INFO jepsen.core - Running test\n${t}INFO jepsen.core - done\n`),
  ],
};

/** The formats the fuzz suite writes (one more entry per new reader). */
export const FUZZ_FORMATS: readonly FuzzFormat[] = [jsonl, jsonArray, edn, jepsenLog];
