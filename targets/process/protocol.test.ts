import { describe, expect, it } from 'vitest';
import { decodeCompletion, encodeRequest, excerpt } from './protocol.js';

describe('the JSON Lines protocol', () => {
  it('writes f, and key and value when the op has them', () => {
    expect(encodeRequest({ process: 3, f: 'write', key: 2, value: 4 })).toBe('{"f":"write","key":2,"value":4}');
    expect(encodeRequest({ process: 3, f: 'read', value: null })).toBe('{"f":"read","value":null}');
    expect(encodeRequest({ process: 0, f: 'noop' })).toBe('{"f":"noop"}');
  });

  it('reads ok, fail and info completions with their value and error, ignoring other keys', () => {
    expect(decodeCompletion('{"type":"ok","value":[1,2],"extra":true}')).toEqual({
      ok: true,
      completion: { type: 'ok', value: [1, 2] },
    });
    expect(decodeCompletion('{"type":"fail","error":"refused"}')).toEqual({
      ok: true,
      completion: { type: 'fail', error: 'refused' },
    });
    expect(decodeCompletion('{"type":"info","value":null}')).toEqual({
      ok: true,
      completion: { type: 'info', value: null },
    });
  });

  it('says why a line is not a completion', () => {
    expect(decodeCompletion('ok')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not JSON/) });
    expect(decodeCompletion('[1]')).toEqual({ ok: false, reason: 'not a JSON object' });
    expect(decodeCompletion('null')).toEqual({ ok: false, reason: 'not a JSON object' });
    expect(decodeCompletion('{"type":"done"}')).toEqual({
      ok: false,
      reason: 'type must be "ok", "fail" or "info", got "done"',
    });
    expect(decodeCompletion('{"value":1}')).toEqual({
      ok: false,
      reason: 'type must be "ok", "fail" or "info", got nothing',
    });
  });

  it('cuts long lines in messages', () => {
    expect(excerpt('x'.repeat(300))).toBe(`${'x'.repeat(200)}... (300 characters)`);
    expect(excerpt('short')).toBe('short');
  });
});
