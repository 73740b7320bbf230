import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeJson } from './sanitize.js';

describe('sanitizeJson', () => {
  it('returns plain JSON as it is (same object)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const clean = JSON.parse(JSON.stringify(v)) as unknown; // -0 and friends normalised
        expect(sanitizeJson(clean)).toBe(clean);
      }),
    );
  });

  it('cleans what JSON cannot hold so that a JSON round trip changes nothing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const messy = {
      a: undefined,
      b: [1, undefined, 2n],
      c: NaN,
      d: new Date(0),
      e: new Map([['k', 1]]),
      f: () => 1,
      g: cyclic,
    };
    const out = sanitizeJson(messy);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    expect(out).toMatchObject({ b: [1, null, '2'], c: 'NaN', d: '1970-01-01T00:00:00.000Z', e: { k: 1 }, f: null });
    expect(out).not.toHaveProperty('a');
    expect(sanitizeJson(undefined)).toBeUndefined();
  });
});
