import { describe, expect, it } from 'vitest';
import { completionForError, isDefinite, type TxnPhase } from './errors.js';

/** Errors shaped like the mariadb connector's SqlError (errno, code, sqlMessage, fatal). */
function sqlError(errno: number, code: string, message: string, fatal = false): Error {
  return Object.assign(new Error(`(conn:1, no: ${errno}) ${message}`), { errno, code, sqlMessage: message, fatal });
}

const deadlock = sqlError(
  1213,
  'ER_LOCK_DEADLOCK',
  'Deadlock found when trying to get lock; try restarting transaction',
);
const notReady = sqlError(1047, 'ER_UNKNOWN_COM_ERROR', 'WSREP has not yet prepared node for application use');
const refused = sqlError(45012, 'ER_CONNECTION_TIMEOUT', 'connect ECONNREFUSED 10.247.0.2:3306', true);
const lost = sqlError(45009, 'ER_SOCKET_UNEXPECTED_CLOSE', 'socket has unexpectedly been closed', true);
const lockWait = sqlError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'Lock wait timeout exceeded; try restarting transaction');
const shutdown = sqlError(1053, 'ER_SERVER_SHUTDOWN', 'Server shutdown in progress', true);
const phases: TxnPhase[] = ['connect', 'statements', 'commit'];

describe('galera errors', () => {
  it('a deadlock or certification failure (1213) is fail in every phase, even at COMMIT', () => {
    for (const phase of phases) expect(completionForError(deadlock, phase).type).toBe('fail');
    expect(completionForError(deadlock, 'commit').error).toBe(
      'commit: ER_LOCK_DEADLOCK: Deadlock found when trying to get lock; try restarting transaction',
    );
  });

  it('a node outside the primary component (1047) is fail in every phase', () => {
    for (const phase of phases) expect(isDefinite(notReady, phase)).toBe(true);
  });

  it('a refused connection is fail (nothing was sent)', () => {
    expect(completionForError(refused, 'connect')).toEqual({
      type: 'fail',
      error: 'connect: ER_CONNECTION_TIMEOUT: connect ECONNREFUSED 10.247.0.2:3306',
    });
    expect(completionForError(new Error('connect ECONNREFUSED'), 'connect').type).toBe('fail');
  });

  it('a lost connection is fail before COMMIT was sent and info after', () => {
    expect(completionForError(lost, 'statements').type).toBe('fail');
    expect(completionForError(lost, 'commit').type).toBe('info');
  });

  it('any other error before COMMIT is fail; an unrecognised one at COMMIT is info', () => {
    expect(completionForError(lockWait, 'statements').type).toBe('fail');
    expect(completionForError(shutdown, 'commit').type).toBe('info');
    expect(completionForError('timed out', 'commit')).toEqual({ type: 'info', error: 'commit: timed out' });
    expect(completionForError(undefined, 'commit').type).toBe('info');
  });
});
