import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-text.js';

describe('terminalSafe', () => {
  it('escapes ESC, CR, C1 controls, DEL and bidi overrides; keeps tab, newline and other text', () => {
    expect(terminalSafe('a\u001b[2Jb\r\u009b31m\u007f\u202e')).toBe('a\\u001b[2Jb\\u000d\\u009b31m\\u007f\\u202e');
    expect(terminalSafe('line\n\tindented é 日本 \u{1F600}')).toBe('line\n\tindented é 日本 \u{1F600}');
  });

  it('keeps JSON valid, with the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(JSON.parse(terminalSafe(text))).toEqual(JSON.parse(text));
      }),
    );
  });
});
