import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ednFormToJson, ednMapToFields, simpleAtom } from './edn-value.js';

describe('ednFormToJson', () => {
  it('turns EDN values into JSON values', () => {
    expect(ednFormToJson('[:cas nil true 1 -2.5 "s" x \\a #{1} (1 2)]')).toEqual([
      'cas',
      null,
      true,
      1,
      -2.5,
      's',
      'x',
      'a',
      [1],
      [1, 2],
    ]);
    expect(ednFormToJson('{:a {1 :b, [1 2] "c"}}')).toEqual({ a: { 1: 'b', '[1,2]': 'c' } });
    expect(ednFormToJson('#inst "2020-01-02T03:04:05Z"')).toBe('2020-01-02T03:04:05Z');
    expect(ednFormToJson('#my/tag [1]')).toEqual({ tag: 'my/tag', value: [1] });
    expect(ednFormToJson('12345678901234567890123N')).toBe('12345678901234567890123');
    expect(ednFormToJson('12N')).toBe(12);
  });

  it('keeps a "__proto__" map key as a plain key', () => {
    const value = ednFormToJson('{"__proto__" 1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('reads an op map into fields, or returns undefined for other forms', () => {
    expect(ednMapToFields('{:process 1, :type :ok}')).toEqual(
      new Map<string, unknown>([
        ['process', 1],
        ['type', 'ok'],
      ]),
    );
    expect(ednMapToFields('[1 2]')).toBeUndefined();
  });
});

describe('simpleAtom', () => {
  it('agrees with edn-data wherever it answers', () => {
    const atom = fc.oneof(
      fc.constantFrom('nil', 'true', 'false', '0', '-0', '007', '1.5', ':', ':a', ':a/b', ':a.b-c?', ':1', 'x'),
      fc.integer().map(String),
      fc.stringMatching(/^:[a-z*+!_?<>=-][a-z0-9*+!?<>=./-]{0,8}$/),
    );
    fc.assert(
      fc.property(atom, (text) => {
        const simple = simpleAtom(text);
        if (simple !== undefined) expect(simple).toEqual(ednFormToJson(text));
      }),
    );
    expect([simpleAtom('nil'), simpleAtom(':cas'), simpleAtom('-12'), simpleAtom('[1]'), simpleAtom('1.5')]).toEqual([
      null,
      'cas',
      -12,
      undefined,
      undefined,
    ]);
  });
});
