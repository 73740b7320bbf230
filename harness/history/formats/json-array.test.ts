import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { parseHistory } from '../read.js';

function inputError(text: string, path = 'h.json'): string {
  try {
    parseHistory(text, { path });
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe("elle-cli's JSON array histories", () => {
  it('are detected from content; f defaults to txn and time to the position', () => {
    const text = [
      '[{"index":0,"process":0,"type":"invoke","value":[["append",1,1]]},',
      ' {"index":1,"process":0,"type":"ok","value":[["append",1,1]]},',
      ' {"index":2,"process":1,"type":"invoke","f":"txn","value":[["r",1,null]]},',
      ' {"index":3,"process":1,"type":"ok","f":null,"value":[["r",1,[1]]]}]',
    ].join('\n');
    const loaded = parseHistory(text, { path: 'h.json' });
    expect(loaded.format).toBe('json-array');
    expect(loaded.history).toEqual([
      { index: 0, time: 0, type: 'invoke', process: 0, f: 'txn', value: [['append', 1, 1]] },
      { index: 1, time: 1, type: 'ok', process: 0, f: 'txn', value: [['append', 1, 1]] },
      { index: 2, time: 2, type: 'invoke', process: 1, f: 'txn', value: [['r', 1, null]] },
      { index: 3, time: 3, type: 'ok', process: 1, f: 'txn', value: [['r', 1, [1]]] },
    ]);
    expect([0, 1, 2, 3].map((i) => loaded.lineOf(i))).toEqual([1, 2, 3, 4]);
  });

  it('keep f and time when given, and read pretty-printed arrays', () => {
    const text =
      '[\n  {\n    "type": "ok",\n    "f": "read",\n    "process": 0,\n    "time": 5,\n    "value": {"0": 10}\n  }\n]\n';
    const loaded = parseHistory(text, { path: 'h.json' });
    expect(loaded.format).toBe('json-array');
    expect(loaded.history).toEqual([{ index: 0, time: 5, type: 'ok', process: 0, f: 'read', value: { 0: 10 } }]);
    expect(loaded.lineOf(0)).toBe(2);
  });

  it('name the line of a bad op, and of broken JSON', () => {
    const bad = '[{"type":"invoke","process":0},\n {"type":"okk","process":0}]';
    expect(inputError(bad)).toBe('h.json:2: unknown type "okk" (expected invoke, ok, fail or info)');
    expect(inputError('[{"type":"invoke","process":0},\n 7]')).toBe(
      'h.json:2: element 1 of the array is not an op object',
    );
    expect(inputError('[{"type":"invoke",\n "process":0,,}]')).toMatch(/^h.json:2: not valid JSON/);
    // Strings with brackets, commas and escaped quotes do not confuse the line count.
    const tricky = '[{"type":"invoke","process":0,"value":"a,[{\\"]"},\n {"type":"nope","process":0}]';
    expect(inputError(tricky)).toMatch(/^h.json:2: unknown type "nope"/);
  });

  it('a history whose ops have times only in part is an error, as in other formats', () => {
    expect(inputError('[{"type":"invoke","process":0,"time":3},\n{"type":"ok","process":0}]')).toMatch(
      /^h.json:2: op has no time/,
    );
  });
});
