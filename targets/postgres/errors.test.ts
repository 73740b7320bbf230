import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { completionForFailure, type TxnFailure } from './errors.js';

function serverError(code: string, severity = 'ERROR', message = 'boom'): pg.DatabaseError {
  const err = new pg.DatabaseError(message, 0, 'error');
  err.code = code;
  err.severity = severity;
  return err;
}
const refused = Object.assign(new Error('connect ECONNREFUSED 10.246.0.2:5432'), { code: 'ECONNREFUSED' });
const lost = new Error('Connection terminated unexpectedly');
const failure = (error: unknown, stage: TxnFailure['stage'], extra: Partial<TxnFailure> = {}): TxnFailure => ({
  error,
  stage,
  readOnly: false,
  timedOut: false,
  ...extra,
});

describe('postgres errors', () => {
  it('a serialization failure or a deadlock is a definite fail, in the body or at COMMIT', () => {
    for (const stage of ['body', 'commit'] as const) {
      expect(completionForFailure(failure(serverError('40001'), stage))).toMatchObject({
        type: 'fail',
        error: '40001 boom',
      });
      expect(completionForFailure(failure(serverError('40P01'), stage)).type).toBe('fail');
    }
  });

  it('a connection that could not be made is a fail: nothing was sent', () => {
    expect(completionForFailure(failure(refused, 'connect'))).toEqual({
      type: 'fail',
      error: 'connect failed: ECONNREFUSED',
    });
    expect(completionForFailure(failure(lost, 'connect', { timedOut: true })).type).toBe('fail');
  });

  it('a connection lost before COMMIT is a fail: the server rolls the transaction back', () => {
    expect(completionForFailure(failure(lost, 'body')).type).toBe('fail');
    expect(completionForFailure(failure(lost, 'body', { timedOut: true }))).toEqual({
      type: 'fail',
      error: 'timed out before COMMIT',
    });
  });

  it('a connection lost or a timeout after COMMIT was sent is info: it may have committed', () => {
    expect(completionForFailure(failure(lost, 'commit'))).toEqual({
      type: 'info',
      error: 'connection lost after COMMIT was sent: Connection terminated unexpectedly',
    });
    expect(completionForFailure(failure(lost, 'commit', { timedOut: true })).type).toBe('info');
    // Even an error answer does not count once our timeout destroyed the connection.
    expect(completionForFailure(failure(serverError('40001'), 'commit', { timedOut: true })).type).toBe('info');
  });

  it('a FATAL answer to COMMIT (the backend is terminating) is info', () => {
    expect(completionForFailure(failure(serverError('57P01', 'FATAL'), 'commit')).type).toBe('info');
    expect(completionForFailure(failure(serverError('57P01', 'FATAL'), 'body')).type).toBe('fail');
  });

  it('a transaction that writes nothing fails whatever happened', () => {
    expect(completionForFailure(failure(lost, 'commit', { readOnly: true })).type).toBe('fail');
  });
});
