import { describe, expect, it } from 'vitest';
import { EdnSyntaxError, scanEdn } from './edn-forms.js';

function texts(source: string): string[] {
  return scanEdn(source).top.map((span) => source.slice(span.start, span.end));
}

function syntaxError(source: string): EdnSyntaxError {
  try {
    scanEdn(source);
  } catch (err) {
    if (err instanceof EdnSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected an EdnSyntaxError for ${source}`);
}

describe('scanEdn', () => {
  it('splits top-level forms and gives their lines', () => {
    const source = '; comment\n{:a 1}\n[1 2] "s]" :kw\n#{1 2} (x)';
    expect(texts(source)).toEqual(['{:a 1}', '[1 2]', '"s]"', ':kw', '#{1 2}', '(x)']);
    expect(scanEdn(source).top.map((span) => span.line)).toEqual([2, 3, 3, 3, 4, 4]);
  });

  it('finds the elements of a top-level vector, with the line each starts on', () => {
    const source = '[{:a 1}\n {:b\n  2}\n {:c "x\\"y"}]';
    const scan = scanEdn(source);
    expect(scan.inner.map((span) => [source.slice(span.start, span.end), span.line])).toEqual([
      ['{:a 1}', 1],
      ['{:b\n  2}', 2],
      ['{:c "x\\"y"}', 4],
    ]);
  });

  it('keeps a tag with its form and drops discarded forms', () => {
    expect(texts('#inst "2020-01-01" #_ {:gone 1} #_#_ a b c')).toEqual(['#inst "2020-01-01"', 'c']);
    expect(texts('#_ #inst "x" y')).toEqual(['y']);
  });

  it('counts the lines inside strings, escaped or not', () => {
    expect(scanEdn('"a\nb" "c\\\nd"\nx').top.map((span) => span.line)).toEqual([1, 2, 4]);
  });

  it('treats character literals as atoms, even bracket characters', () => {
    expect(texts('[\\( \\] \\space] x')).toEqual(['[\\( \\] \\space]', 'x']);
  });

  it('counts a discarded map entry as nothing', () => {
    expect(texts('{:a 1 #_ :b}')).toEqual(['{:a 1 #_ :b}']);
  });

  it('names the line of broken structure', () => {
    expect(syntaxError('[{:a 1}\n {:b 2]').message).toBe('expected "}" to close the map opened on line 2, found "]"');
    expect(syntaxError('[{:a 1}\n {:b 2]').line).toBe(2);
    expect(syntaxError('{:a 1}\n]').line).toBe(2);
    expect(syntaxError('\n[{:a 1}').message).toBe('the vector opened here is never closed');
    expect(syntaxError('\n[{:a 1}').line).toBe(2);
    expect(syntaxError('[1\n"abc').line).toBe(2);
    expect(syntaxError('[\n{:a 1 :b}]').message).toBe('map has a key without a value');
    expect(syntaxError('[\n{:a 1 :b}]').line).toBe(2);
    expect(syntaxError('x #inst').message).toBe('a tag or #_ has no form after it');
    expect(syntaxError('[#_]').message).toBe('a tag or #_ has no form before "]"');
  });
});
