/**
 * Properties: any history written in one of the formats reads back as the
 * same ops (the writers here are small and local to the test).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Op } from './op.js';
import { parseHistory } from './read.js';

const keyword = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
);
const json: fc.Arbitrary<Json> = fc.letrec<{ value: Json }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    fc.string({ unit: 'grapheme-composite' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const op = fc.record(
  {
    type: fc.constantFrom('invoke', 'ok', 'fail', 'info'),
    process: fc.oneof(fc.nat({ max: 1000 }), fc.constant('nemesis' as const)),
    f: keyword,
    time: fc.nat(),
    value: json,
    key: json,
    error: json,
    node: fc.string(),
  },
  { requiredKeys: ['type', 'process', 'f', 'time'] },
) as fc.Arbitrary<Omit<Op, 'index'>>;

/**
 * Ops with their times in order (times that go backwards are warned about,
 * and a completion before its invocation is refused: see read.ts).
 */
const orderedOps = (constraints: { minLength?: number; maxLength: number }) =>
  fc.array(op, constraints).map((list) => {
    const times = list.map((o) => o.time).sort((a, b) => a - b);
    return list.map((o, i) => ({ ...o, time: times[i]! }));
  });

/** The ops as read back: numbered by position. */
function numbered(ops: Omit<Op, 'index'>[]): Op[] {
  return ops.map((o, index) => ({ index, ...o }) as Op);
}

/** EDN for a JSON value: strings as EDN strings (JSON's escapes are EDN's), null as nil, objects as maps. */
function edn(value: Json): string {
  if (value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(edn).join(' ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)} ${edn(v)}`)
    .join(', ')}}`;
}

function ednOp(o: Omit<Op, 'index'>, multiline: boolean): string {
  const parts = [
    `:type :${o.type}`,
    `:process ${o.process === 'nemesis' ? ':nemesis' : o.process}`,
    `:f :${o.f}`,
    `:time ${o.time}`,
  ];
  if (o.value !== undefined) parts.push(`:value ${edn(o.value)}`);
  if (o.key !== undefined) parts.push(`:key ${edn(o.key)}`);
  if (o.error !== undefined) parts.push(`:error ${edn(o.error)}`);
  if (o.node !== undefined) parts.push(`:node ${edn(o.node)}`);
  return `{${parts.join(multiline ? ',\n ' : ', ')}}`;
}

describe('reading what was written', () => {
  it('JSONL round-trips', () => {
    fc.assert(
      fc.property(orderedOps({ maxLength: 30 }), (ops) => {
        const text = ops.map((o, index) => JSON.stringify({ index, ...o })).join('\n');
        expect(parseHistory(text, { path: 'p.jsonl', format: 'jsonl' }).history).toEqual(numbered(ops));
      }),
    );
  });

  it('EDN round-trips, as a vector or one map per line, and lineOf finds each map', () => {
    fc.assert(
      fc.property(orderedOps({ maxLength: 30 }), fc.boolean(), fc.boolean(), (ops, vector, multiline) => {
        const forms = ops.map((o) => ednOp(o, multiline));
        const text = vector ? `; written by a test\n[${forms.join('\n ')}]\n` : forms.join('\n');
        const loaded = parseHistory(text, { path: 'p.edn' });
        expect(loaded.format).toBe(ops.length === 0 && !vector ? 'jsonl' : 'edn');
        expect(loaded.history).toEqual(numbered(ops));
        const linesPerOp = multiline ? forms.map((f) => f.split('\n').length) : forms.map(() => 1);
        let line = vector ? 2 : 1;
        linesPerOp.forEach((count, i) => {
          expect(loaded.lineOf(i)).toBe(line);
          line += count;
        });
      }),
    );
  });

  it('history.txt round-trips (process, type, f, value; no time)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        const text = ops
          .map(
            (o) => `${o.process === 'nemesis' ? ':nemesis' : o.process}\t:${o.type}\t:${o.f}\t${edn(o.value ?? null)}`,
          )
          .join('\n');
        const expected = ops.map((o, index) => ({
          index,
          time: index,
          type: o.type,
          process: o.process,
          f: o.f,
          value: o.value ?? null,
        }));
        expect(parseHistory(text, { path: 'history.txt' }).history).toEqual(expected);
      }),
    );
  });
});
