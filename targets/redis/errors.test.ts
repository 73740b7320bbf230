import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { completionForError, NotSentError, TimedOutError, WaitFailedError, WaitShortfallError } from './errors.js';

const reply = (message: string): Error => new ReplyError(message) as Error;

describe('Redis errors: fail or info', () => {
  it('a failed read is always fail', () => {
    for (const err of [new TimedOutError(), new Error('Connection is closed.'), reply('LOADING')]) {
      expect(completionForError(err, 'read').type).toBe('fail');
    }
  });

  it('a write never sent, or refused by Redis with an error reply, is fail', () => {
    expect(completionForError(new NotSentError('not connected to the primary'), 'add')).toEqual({
      type: 'fail',
      error: 'not connected to the primary',
    });
    expect(
      completionForError(new Error("Stream isn't writeable and enableOfflineQueue options is false"), 'write').type,
    ).toBe('fail');
    for (const message of [
      "READONLY You can't write against a read only replica.",
      'NOREPLICAS Not enough good replicas to write.',
      'MASTERDOWN Link with MASTER is down',
    ]) {
      expect(completionForError(reply(message), 'cas')).toEqual({ type: 'fail', error: message });
    }
  });

  it('a write that may have reached Redis is info: timeouts, broken connections, and every WAIT trouble', () => {
    expect(completionForError(new TimedOutError(), 'write')).toEqual({ type: 'info', error: 'timed out' });
    expect(completionForError(new Error('Connection is closed.'), 'add').type).toBe('info');
    expect(completionForError(new WaitShortfallError(1, 2), 'add')).toEqual({
      type: 'info',
      error: 'WAIT: 1 of 2 replicas acknowledged the write in time',
    });
    expect(completionForError(new WaitFailedError(reply('ERR something')), 'add').type).toBe('info');
    expect(completionForError('odd', 'add')).toEqual({ type: 'info', error: 'odd' });
  });
});
